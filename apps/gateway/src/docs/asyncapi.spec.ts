import { Parser } from '@asyncapi/parser';
import { EventTypes } from '@clientele/contracts';
import { buildAsyncApiDocument, projectVersion } from './asyncapi';

const document = buildAsyncApiDocument({
  version: projectVersion(),
  natsServers: ['nats://gateway:s3cret@nats-1.internal:4222', 'tls://nats-2.internal:4443'],
  subjectPrefix: 't1.',
  stream: 'T1_ACCOUNTS',
});

describe('the AsyncAPI document', () => {
  it('passes the AsyncAPI parser without errors or warnings', async () => {
    const diagnostics = await new Parser().validate({ ...document });
    // Severity 0 is an error, 1 a warning; 2 and 3 are hints (such as "AsyncAPI 3.1 exists").
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
  });

  it('has a channel, message and receive operation for every event type, at its subject under the prefix', () => {
    const channels = document.channels as Record<string, { address: string }>;
    const messages = document.components.messages as Record<string, { name: string }>;
    expect(Object.values(messages).map((m) => m.name).sort()).toEqual(Object.values(EventTypes).sort());
    expect(Object.keys(document.operations)).toHaveLength(Object.keys(EventTypes).length);
    expect(channels.clientCreated.address).toBe('t1.accounts.events.client.created');
    expect(channels.ownerInvitationResent.address).toBe('t1.accounts.events.owner.invitation-resent');
  });

  it('names the NATS servers without their credentials', () => {
    expect(document.servers).toEqual({
      'nats-1': { host: 'nats-1.internal:4222', protocol: 'nats', description: 'NATS with JetStream.' },
      'nats-2': { host: 'nats-2.internal:4443', protocol: 'nats', description: 'NATS with JetStream, over TLS.' },
    });
    expect(JSON.stringify(document)).not.toContain('s3cret');
  });

  it('carries the release and the deployment\'s stream', () => {
    expect(document.info.version).toBe(projectVersion());
    expect(document.info.description).toContain('`T1_ACCOUNTS`');
  });
});
