import { Command } from '@nestjs/cqrs';
import type { Caller } from '@clientele/contracts';

/**
 * Creates the clients of several rows of an import in one transaction, all
 * or nothing: how many rows it settled, or `one-by-one` when a create was
 * refused (nothing is written then, and each row goes through
 * `ImportClientRowCommand` on its own).
 */
export class ImportClientRowsCommand extends Command<number | 'one-by-one'> {
  constructor(
    readonly importId: string,
    readonly rows: readonly number[],
    readonly caller: Caller,
  ) {
    super();
  }
}
