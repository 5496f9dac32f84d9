import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

const root = join(__dirname, '../..');
const read = (...p: string[]) => readFileSync(join(root, ...p), 'utf8');

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string[];
  ports?: unknown[];
  container_name?: string;
  environment?: Record<string, string>;
  volumes?: string[];
}

// js-yaml 4 resolves `<<` merge keys by default, so `x-service` is already
// folded into each service; no merge-key resolution is needed here.
const compose = load(read('docker-compose.yml')) as { services: Record<string, Service> };
const services = compose.services;
const APP_SERVICES = ['accounts', 'notifications', 'gateway'];
const SERVICE_NAMES = new Set(['gateway', 'accounts', 'notifications']);

describe('docker-compose.yml', () => {
  it('defines every service a user runs', () => {
    for (const name of ['nats', 'postgres', 'mail', 'migrate', ...APP_SERVICES]) {
      expect(services).toHaveProperty(name);
    }
  });

  it('resolves the x-service merge into the app services', () => {
    expect(services.accounts.environment).not.toHaveProperty('<<');
    expect(services.accounts.environment?.HTTP_PORT).toBe('3001');
    expect(services.notifications.environment?.HTTP_PORT).toBe('3002');
  });

  it.each(['accounts', 'notifications'])('%s can be scaled (no ports, no container_name)', (name) => {
    expect(services[name].ports).toBeUndefined();
    expect(services[name].container_name).toBeUndefined();
  });

  it('builds the app services and migrate from the one Dockerfile into one image', () => {
    const built = [...APP_SERVICES, 'migrate'].map((n) => services[n]);
    expect(new Set(built.map((s) => s.image))).toEqual(new Set(['clientele:latest']));
    for (const s of built) {
      const context = typeof s.build === 'string' ? s.build : s.build?.context;
      const dockerfile = typeof s.build === 'object' ? s.build.dockerfile ?? 'Dockerfile' : 'Dockerfile';
      expect(context).toBe('.');
      expect(dockerfile).toBe('Dockerfile');
    }
  });

  it.each(APP_SERVICES)('%s gets NATS_URL and DATABASE_URL', (name) => {
    expect(services[name].environment?.NATS_URL).toMatch(/^nats:\/\/nats:4222$/);
    expect(services[name].environment?.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
  });

  it('notifications sends mail through SMTP_URL', () => {
    expect(services.notifications.environment?.SMTP_URL).toMatch(/^smtp:\/\/mail:1025$/);
  });

  it('gateway publishes a port and requires its secrets (no defaults)', () => {
    expect(services.gateway.ports?.length).toBeGreaterThan(0);
    const env = services.gateway.environment ?? {};
    expect(env.PLATFORM_ADMIN_TOKEN).toMatch(/^\$\{PLATFORM_ADMIN_TOKEN:\?.+\}$/);
    expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?.+\}$/);
  });

  it('connects each service to NATS as its own user, with the password the nats service is given', () => {
    for (const name of ['gateway', 'accounts', 'notifications'] as const) {
      const env = services[name].environment ?? {};
      const variable = `${name.toUpperCase()}_NATS_PASSWORD`;
      expect(env.NATS_USER).toBe(name);
      expect(env.NATS_PASSWORD).toMatch(new RegExp(`^\\$\\{${variable}:\\?.+\\}$`));
      expect(services.nats.environment?.[variable]).toBe(env.NATS_PASSWORD);
    }
  });

  it('migrate runs scripts/migrate.js', () => {
    expect(services.migrate.command).toEqual(['node', 'scripts/migrate.js']);
  });

  it.each(APP_SERVICES)('%s runs scripts/service.js with a known service name', (name) => {
    const [node, script, arg] = services[name].command ?? [];
    expect([node, script]).toEqual(['node', 'scripts/service.js']);
    expect(SERVICE_NAMES.has(arg)).toBe(true);
    expect(arg).toBe(name);
  });
});

describe('deploy/nats-server.conf', () => {
  const mount = (services.nats.volumes ?? []).find((v) => v.endsWith(':/etc/nats/nats-server.conf:ro'));
  const hostPath = mount?.split(':')[0] ?? '';

  it('is mounted into the nats service and exists', () => {
    expect(hostPath).toBe('./deploy/nats-server.conf');
    expect(existsSync(join(root, hostPath))).toBe(true);
  });

  it('enables JetStream with fsync on every write', () => {
    const active = read(hostPath)
      .split('\n')
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter(Boolean);
    expect(active.some((l) => /^jetstream\b/.test(l))).toBe(true);
    expect(active).toContain('sync_interval: always');
  });
});

describe('Dockerfile', () => {
  it('exists and its final stage runs as a non-root user', () => {
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
    const stages = read('Dockerfile').split(/^FROM\s/im);
    const users = [...stages[stages.length - 1].matchAll(/^USER\s+(\S+)/gim)].map((m) => m[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
  });
});
