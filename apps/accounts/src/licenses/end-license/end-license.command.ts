import { Command } from '@nestjs/cqrs';
import type { Caller } from '@clientele/contracts';

export class EndLicenseCommand extends Command<null> {
  constructor(
    readonly caller: Caller,
    readonly clientId: string,
    readonly licenseId: string,
  ) {
    super();
  }
}
