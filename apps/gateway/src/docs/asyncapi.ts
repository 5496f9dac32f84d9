import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CloudEventAttributes,
  EVENTS_SUBJECT_ROOT,
  EventDataSchemas,
  EventTypes,
  Headers,
  eventSubject,
  type EventType,
} from '@clientele/contracts';

export interface AsyncApiOptions {
  /** The release (package.json `version`). */
  version: string;
  /** `NATS_URL`'s servers; any user and password in them are left out. */
  natsServers: string[];
  /** `NATS_PREFIX` as the services put it in front of subjects (`''`, or `t1.`). */
  subjectPrefix: string;
  /** The stream's name in this deployment (`ACCOUNTS` unless `NATS_PREFIX` is set). */
  stream: string;
}

type Json = Record<string, unknown>;

/** The parts of the document this module writes (each holds plain JSON). */
export interface AsyncApiDocument {
  asyncapi: string;
  info: { title: string; version: string; description: string };
  defaultContentType: string;
  servers: Json;
  channels: Json;
  operations: Json;
  components: { schemas: Json; messages: Json };
}

/** The NATS headers every event message carries (libs/messaging `publishEvent`), on the deployment's stream. */
function messageHeaders(stream: string): Json {
  return {
    type: 'object',
    required: ['Nats-Msg-Id', 'Nats-Expected-Stream', 'Content-Type', 'ce-id', 'ce-type'],
    properties: {
      'Nats-Msg-Id': { type: 'string', format: 'uuid', description: 'The event `id`: JetStream drops a re-publication within the stream\'s duplicate window.' },
      'Nats-Expected-Stream': { type: 'string', const: stream, description: 'The stream the publisher wrote to (JetStream refuses the message anywhere else).' },
      'Content-Type': { type: 'string', const: 'application/cloudevents+json' },
      'ce-id': { type: 'string', format: 'uuid', description: 'The event `id` again, for routing without parsing the body.' },
      'ce-type': { type: 'string', description: 'The event `type` again.' },
      [Headers.requestId]: { type: 'string', description: 'The API request that caused the event, when one did (also in the services\' logs).' },
    },
  };
}

/**
 * The AsyncAPI 3.0 document of the ACCOUNTS stream, from a subscriber's side
 * (every operation is a `receive`). Built from the contracts the services
 * compile against: one channel, message and `data` schema per entry of
 * `EventDataSchemas`, the envelope from `CloudEventAttributes`.
 */
export function buildAsyncApiDocument({ version, natsServers, subjectPrefix, stream }: AsyncApiOptions): AsyncApiDocument {
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  const schemas: Json = { MessageHeaders: messageHeaders(stream) };
  const envelope = plain(CloudEventAttributes) as { required: string[]; properties: Json };

  for (const [key, type] of Object.entries(EventTypes) as [string, EventType][]) {
    const data = plain(EventDataSchemas[type]) as { description?: string };
    const schemaName = `${key[0].toUpperCase()}${key.slice(1)}Data`;
    schemas[schemaName] = data;
    messages[key] = {
      name: type,
      title: type,
      summary: data.description,
      contentType: 'application/cloudevents+json',
      headers: { $ref: '#/components/schemas/MessageHeaders' },
      payload: {
        type: 'object',
        required: [...envelope.required, 'data'],
        properties: {
          ...envelope.properties,
          type: { type: 'string', const: type },
          data: { $ref: `#/components/schemas/${schemaName}` },
        },
      },
    };
    channels[key] = {
      address: eventSubject(type, `${subjectPrefix}${EVENTS_SUBJECT_ROOT}`),
      title: type,
      messages: { [key]: { $ref: `#/components/messages/${key}` } },
    };
    operations[`receive${schemaName.slice(0, -'Data'.length)}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${key}` },
      messages: [{ $ref: `#/channels/${key}/messages/${key}` }],
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Clientele events',
      version,
      description: [
        `Every change in accounts is published to the NATS JetStream stream \`${stream}\`, subjects \`${subjectPrefix}${EVENTS_SUBJECT_ROOT}.>\`,`,
        'as a CloudEvents 1.0 structured JSON document whose `data` is described per event type here.',
        '',
        'Delivery is at least once: read with a durable consumer, drop an `id` you have already handled, and ack after your effect is stored.',
        'One aggregate\'s events (same `subject`) are published in the order they happened. Events never carry secrets.',
        'The REST API is described at /docs/openapi.json.',
      ].join('\n'),
    },
    defaultContentType: 'application/cloudevents+json',
    servers: natsServersOf(natsServers),
    channels,
    operations,
    components: { schemas, messages },
  };
}

/** One AsyncAPI server per NATS URL, host and port only: credentials in NATS_URL never reach the document. */
function natsServersOf(urls: string[]): Json {
  const servers: Json = {};
  urls.forEach((text, index) => {
    const url = new URL(text);
    const scheme = url.protocol.replace(/:$/, '');
    const name = urls.length === 1 ? 'nats' : `nats-${index + 1}`;
    servers[name] = {
      host: url.port ? `${url.hostname}:${url.port}` : url.hostname,
      protocol: scheme === 'ws' || scheme === 'wss' ? scheme : 'nats',
      description: scheme === 'tls' ? 'NATS with JetStream, over TLS.' : 'NATS with JetStream.',
    };
  });
  return servers;
}

/** A TypeBox schema as plain JSON Schema (without TypeBox's symbol keys). */
function plain(schema: unknown): Json {
  return JSON.parse(JSON.stringify(schema)) as Json;
}

/** `version` of the project's package.json, looked for above this file (the sources and the compiled tree alike). */
export function projectVersion(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dirname(dir) === dir) throw new Error(`package.json not found in any folder above ${from}`);
  }
}
