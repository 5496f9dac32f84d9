import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AccountsRpc, CreatePartnerRequest, PageRequest, type Caller } from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { Idempotent } from '../idempotency/idempotency.interceptor';
import { CreatePartnerCommand } from './create-partner/create-partner.command';
import { ListPartnersQuery } from './list-partners/list-partners.query';

@Controller()
export class PartnersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(AccountsRpc.createPartner)
  @Idempotent()
  create(@Payload() body: CreatePartnerRequest, @CallerParam() caller: Caller) {
    return this.commands.execute(new CreatePartnerCommand(caller, body));
  }

  @MessagePattern(AccountsRpc.listPartners)
  list(@Payload() page: PageRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new ListPartnersQuery(caller, page.limit ?? 50, page.cursor));
  }
}
