import { Command } from '@nestjs/cqrs';
import type { Caller } from '@clientele/contracts';

/** What became of a row: created, failed, or already settled by another worker. */
export type RowResult = 'created' | 'failed' | 'settled';

/** Creates the client of one import row, as `caller` would with POST /v1/clients, and records the outcome with it. */
export class ImportClientRowCommand extends Command<RowResult> {
  constructor(
    readonly importId: string,
    readonly row: number,
    readonly caller: Caller,
  ) {
    super();
  }
}
