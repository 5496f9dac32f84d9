import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { CreatePartnerHandler } from './create-partner/create-partner.handler';
import { ListPartnersHandler } from './list-partners/list-partners.handler';
import { PartnersController } from './partners.controller';

const commandHandlers = [CreatePartnerHandler];
const queryHandlers = [ListPartnersHandler];

@Module({
  imports: [ClientsModule],
  controllers: [PartnersController],
  providers: [...commandHandlers, ...queryHandlers],
})
export class PartnersModule {}
