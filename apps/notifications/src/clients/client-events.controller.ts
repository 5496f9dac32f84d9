import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EventTypes, type ClientCreatedData, type CloudEvent } from '@clientele/contracts';
import { EventInbox } from '../inbox/event-inbox';

/** Account events this service reacts to. */
@Controller()
export class ClientEventsController {
  private readonly log = new Logger(ClientEventsController.name);

  constructor(private readonly inbox: EventInbox) {}

  @EventPattern(EventTypes.clientCreated)
  async clientCreated(@Payload() event: CloudEvent<ClientCreatedData>): Promise<void> {
    const first = await this.inbox.handleOnce(event, async () => {
      this.log.debug({ msg: 'client created', eventId: event.id, clientId: event.data.clientId, ownerStatus: event.data.owner.status });
    });
    if (!first) this.log.debug({ msg: 'duplicate event ignored', eventId: event.id });
  }
}
