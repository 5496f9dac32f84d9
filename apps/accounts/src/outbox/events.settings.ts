/** Where events go: the stream and the subject root, both under the deployment's NATS prefix. */
export class EventsSettings {
  constructor(
    readonly stream: string,
    readonly subjectRoot: string,
    readonly duplicateWindowMs: number,
    readonly publishTimeoutMs: number,
    readonly replicas = 1,
  ) {}
}
