import { Command } from '@nestjs/cqrs';
import type { Caller, MintedPasswordLink } from '@clientele/contracts';

export class MintPasswordLinkCommand extends Command<MintedPasswordLink> {
  constructor(
    readonly caller: Caller,
    readonly user: { email?: string; userId?: string },
    readonly purpose: 'reset' | 'setup',
  ) {
    super();
  }
}
