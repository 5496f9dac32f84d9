import { Command } from '@nestjs/cqrs';
import type { Caller, StageClientImportPartPayload } from '@clientele/contracts';

/** Keeps one part of an import file too large for one message until the import that names it is created. */
export class StageClientImportPartCommand extends Command<{ staged: number }> {
  constructor(
    readonly caller: Caller,
    readonly payload: StageClientImportPartPayload,
  ) {
    super();
  }
}
