import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EntityManager } from '@mikro-orm/postgresql';
import type { ClientResponse, UpdateClientRequest } from '@clientele/contracts';
import { ClientAccess } from '../../access/client-access';
import { clearedBy, type ClientForm } from '../../domain/client-form';
import { RequiredByAccountSettingsError } from '../../domain/domain-error';
import { queryPrepared } from '../../shared/prepared';
import { ClientReadModel } from '../client.read-model';
import { ClientUpdater } from '../client-updater';
import { UpdateClientCommand } from './update-client.command';

@CommandHandler(UpdateClientCommand)
export class UpdateClientHandler implements ICommandHandler<UpdateClientCommand> {
  constructor(
    private readonly access: ClientAccess,
    private readonly em: EntityManager,
    private readonly updater: ClientUpdater,
    private readonly clients: ClientReadModel,
  ) {}

  async execute({ caller, clientId, patch, expectedVersion }: UpdateClientCommand): Promise<ClientResponse> {
    const { accountId } = await this.access.requireParent(caller, clientId);
    await this.assertKeepsRequired(accountId, patch);
    await this.updater.update(clientId, patch, expectedVersion);
    return (await this.clients.findOne(clientId, { withAdminNotes: true }))!;
  }

  /**
   * The parent's client form forbids clearing a field it requires. Only what
   * the patch clears is checked (a client created before a field became
   * required can still change its other fields), and the form is read only
   * when the patch clears something at all.
   */
  private async assertKeepsRequired(parentId: string, patch: UpdateClientRequest): Promise<void> {
    const cleared = clearedBy(patch);
    if (!cleared.length) return;
    const [parent] = await queryPrepared<{ client_form: ClientForm }>(this.em, `select client_form from accounts.account where id = ?`, [parentId]);
    const refused = clearedBy(patch, parent?.client_form.required ?? []);
    if (refused.length) throw new RequiredByAccountSettingsError(refused);
  }
}
