import { CommandBus } from '@nestjs/cqrs';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { loadConfig } from '@clientele/config';
import { JsonLogger } from '@clientele/observability';
import type { Caller, ClientResponse, CreateClientRequest, CreatePartnerRequest } from '@clientele/contracts';
import { startAccounts, type RunningAccounts } from '../../apps/accounts/src/accounts.app';
import { AccountsConfig } from '../../apps/accounts/src/config';
import { CreateClientCommand } from '../../apps/accounts/src/clients/create-client/create-client.command';
import { CreatePartnerCommand } from '../../apps/accounts/src/partners/create-partner/create-partner.command';

/** The accounts service in this process, driven through its command bus. */
export async function accountsInProcess(env: Record<string, string>) {
  const config = loadConfig(AccountsConfig, { HTTP_PORT: '0', LOG_LEVEL: 'error', OUTBOX_POLL_INTERVAL: '100ms', ...env });
  const service: RunningAccounts = await startAccounts(config, new JsonLogger('accounts', 'error'));
  const orm = service.app.get(MikroORM);
  const commands = service.app.get(CommandBus);
  const inContext = <T>(work: () => Promise<T>) => RequestContext.create(orm.em, work);
  return {
    service,
    config,
    createPartner: (body: CreatePartnerRequest) =>
      inContext(() => commands.execute(new CreatePartnerCommand({ kind: 'operator' }, body))),
    createClient: (caller: Caller, body: CreateClientRequest): Promise<ClientResponse> =>
      inContext(() => commands.execute(new CreateClientCommand(caller, body))),
  };
}

let n = 0;
export function accountBody(type: 'distributor' | 'customer' = 'customer') {
  n += 1;
  const id = `${Date.now().toString(36)}-${n}`;
  return {
    type,
    accountName: `Account ${id}`,
    companyName: `Company ${id}`,
    address: { country: 'ES', region: 'Madrid', city: 'Madrid' },
    owner: { firstName: 'O', lastName: 'Wner', email: `owner-${id}@it.test` },
  } as CreatePartnerRequest;
}
