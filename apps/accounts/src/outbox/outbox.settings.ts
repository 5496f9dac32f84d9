export class OutboxSettings {
  constructor(
    readonly pollMs: number,
    readonly retentionMs: number,
  ) {}
}
