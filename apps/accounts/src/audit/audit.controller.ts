import { Controller } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AccountsRpc, ListAuditEventsRequest, type Caller } from '@clientele/contracts';
import { CallerParam } from '@clientele/messaging';
import { ListAuditEventsQuery } from './list-audit-events/list-audit-events.query';

@Controller()
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @MessagePattern(AccountsRpc.listAuditEvents)
  list(@Payload() filter: ListAuditEventsRequest, @CallerParam() caller: Caller) {
    return this.queries.execute(new ListAuditEventsQuery(caller, filter));
  }
}
