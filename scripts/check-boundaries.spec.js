/* global describe, it, expect */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { FORBIDDEN, check } = require('./check-boundaries');

const PKG = { dependencies: { '@mikro-orm/postgresql': '6.6.16', nats: '2.29.3' }, devDependencies: { fastify: '5.11.3', pg: '8.16.3' } };

/** The rules one file breaks with one line of source. */
const broken = (file, source) => check([{ path: file, source }], PKG).map((b) => b.rule);

describe('the module-boundary check', () => {
  it.each([
    ['no-app-to-app', 'apps/gateway/src/clients/clients.controller.ts', "import { X } from '../../../accounts/src/clients/x';"],
    ['no-app-to-app', 'apps/notifications/src/emails/email-sender.spec.ts', "import { Y } from '../../../accounts/src/y';"],
    ['app-to-service-libs-only', 'apps/gateway/src/main.ts', "import { startStack } from '@clientele/testing';"],
    ['gateway-no-database', 'apps/gateway/src/bus/accounts.bus.ts', "import { EntityManager } from '@mikro-orm/postgresql';"],
    ['gateway-no-database', 'apps/gateway/src/http/etag.ts', "import type { Pool } from 'pg';"],
    ['lib-not-to-app', 'libs/messaging/src/rpc-server.ts', "import { AccountsConfig } from '../../../apps/accounts/src/config';"],
    ['contracts-import-nothing-of-ours', 'libs/contracts/src/index.ts', "export * from '@clientele/messaging';"],
    ['domain-no-transport', 'apps/accounts/src/domain/account.entity.ts', "import { headers } from 'nats';"],
    ['not-to-test-code', 'apps/notifications/src/notifications.app.ts', "import { clientBody } from '../../../test/e2e/fixtures';"],
    ['not-to-spec', 'test/e2e/clients.test.ts', "import { helper } from '../../apps/gateway/src/http/assets.spec';"],
    ['not-to-dev-dep', 'libs/observability/src/logger.ts', "import Fastify from 'fastify';"],
  ])('fails on an import that breaks %s (%s)', (rule, file, source) => {
    expect(broken(file, source)).toContain(rule);
  });

  it.each([
    ['apps/gateway/src/bus/accounts.bus.ts', "import { RpcClient } from '@clientele/messaging';"],
    ['apps/gateway/src/main.ts', "import { loadConfig } from '@clientele/config';\nimport { JsonLogger } from '@clientele/observability';"],
    ['apps/gateway/src/http/etag.ts', "import type { FastifyReply } from 'fastify';"],
    ['apps/accounts/src/clients/clients.module.ts', "import { MikroOrmModule } from '@mikro-orm/nestjs';\nimport { X } from '../outbox/outbox.module';"],
    ['apps/accounts/src/clients/create-client/create-client.handler.spec.ts', "import { startStack } from '@clientele/testing';"],
    ['libs/contracts/src/clients/client.response.ts', "import { IsString } from 'class-validator';\nimport { X } from '../validation/validators';"],
    ['libs/messaging/src/rpc-server.ts', "import { Headers } from '@clientele/contracts';\nimport { headers } from 'nats';"],
    ['test/e2e/clients.test.ts', "import { AccountsConfig } from '../../apps/accounts/src/config';\nimport { Client } from 'pg';"],
  ])('lets %s import what it may', (file, source) => {
    expect(broken(file, source)).toEqual([]);
  });

  it('reads every form of import', () => {
    const source = [
      "import 'reflect-metadata';",
      'import {\n  A,\n  type B,\n} from "../../accounts/src/a";',
      "export { C } from '../../accounts/src/c';",
      "const d = require('../../accounts/src/d');",
      "const e = await import('../../accounts/src/e');",
    ].join('\n');
    expect(check([{ path: 'apps/gateway/src/x.ts', source }], PKG).map((b) => b.to)).toEqual([
      'apps/accounts/src/a', 'apps/accounts/src/c', 'apps/accounts/src/d', 'apps/accounts/src/e',
    ]);
  });

  it('names each rule once, with a comment saying why', () => {
    expect(new Set(FORBIDDEN.map((r) => r.name)).size).toBe(FORBIDDEN.length);
    for (const rule of FORBIDDEN) expect(rule.comment).toMatch(/\w{3,}/);
  });

  it('exits non-zero and names the file and rule when a project breaks one', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
    try {
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(PKG));
      fs.mkdirSync(path.join(root, 'apps', 'gateway', 'src'), { recursive: true });
      fs.writeFileSync(path.join(root, 'apps', 'gateway', 'src', 'main.ts'), "import { orm } from '../../accounts/src/orm';\n");
      const run = () => spawnSync(process.execPath, [path.join(__dirname, 'check-boundaries.js'), root], { encoding: 'utf8' });
      const failed = run();
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain('apps/gateway/src/main.ts: ../../accounts/src/orm breaks no-app-to-app');

      fs.writeFileSync(path.join(root, 'apps', 'gateway', 'src', 'main.ts'), "import { RpcClient } from '@clientele/messaging';\n");
      const passed = run();
      expect(passed.status).toBe(0);
      expect(passed.stdout).toContain('module boundaries: ok');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
