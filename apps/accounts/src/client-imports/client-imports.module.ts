import { Module } from '@nestjs/common';
import { ClientAccess } from '../access/client-access';
import { OutboxModule } from '../outbox/outbox.module';
import { ClientImportWorker } from './client-import-worker';
import { ClientImportsController } from './client-imports.controller';
import { CompleteClientImportHandler } from './complete-client-import/complete-client-import.handler';
import { CreateClientImportHandler } from './create-client-import/create-client-import.handler';
import { GetClientImportHandler } from './get-client-import/get-client-import.handler';
import { ImportClientRowHandler } from './import-client-row/import-client-row.handler';
import { ImportClientRowsHandler } from './import-client-rows/import-client-rows.handler';
import { ListClientImportRowsHandler } from './list-client-import-rows/list-client-import-rows.handler';
import { ListClientImportsHandler } from './list-client-imports/list-client-imports.handler';
import { StageClientImportPartHandler } from './stage-client-import-part/stage-client-import-part.handler';

const commandHandlers = [
  CreateClientImportHandler, StageClientImportPartHandler, ImportClientRowsHandler, ImportClientRowHandler, CompleteClientImportHandler,
];
const queryHandlers = [GetClientImportHandler, ListClientImportsHandler, ListClientImportRowsHandler];

/**
 * Client imports: the job and its reads, and the worker that creates each
 * row through the clients module's `CreateClientCommand` (on the command bus,
 * so this module needs none of its providers).
 */
@Module({
  imports: [OutboxModule],
  controllers: [ClientImportsController],
  providers: [...commandHandlers, ...queryHandlers, ClientImportWorker, ClientAccess],
  exports: [ClientImportWorker],
})
export class ClientImportsModule {}
