import { Command } from '@nestjs/cqrs';

/** Marks an import done once no row is pending, with its `accounts.client-import.completed` event; false if it was not (yet). */
export class CompleteClientImportCommand extends Command<boolean> {
  constructor(readonly importId: string) {
    super();
  }
}
