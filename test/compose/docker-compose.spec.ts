import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { DEFAULT_SCHEMA, load, Type } from 'js-yaml';

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
  profiles?: string[];
  depends_on?: Record<string, { condition?: string }>;
}

/** The active lines of a NATS configuration file: comments and blank lines dropped. */
const natsLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);

/** The file a bind mount puts at `target` inside the container, on this machine (null if none does). */
function hostPathOf(volumes: string[], target: string): string | null {
  for (const volume of volumes) {
    const [source, mounted] = volume.split(':');
    if (!source.startsWith('./')) continue; // a named volume
    if (target === mounted) return join(root, source);
    if (target.startsWith(`${mounted}/`)) return join(root, source, target.slice(mounted.length + 1));
  }
  return null;
}

/** Every `include` of a NATS configuration file in the container, followed through the service's mounts. */
function followIncludes(volumes: string[], configInContainer: string): string[] {
  const host = hostPathOf(volumes, configInContainer);
  if (!host || !existsSync(host)) throw new Error(`${configInContainer} is not mounted from a file of the repository`);
  const seen = [configInContainer];
  for (const line of natsLines(readFileSync(host, 'utf8'))) {
    const include = /^include\s+"?([^";\s]+)"?;?$/.exec(line);
    if (include) seen.push(...followIncludes(volumes, posix.join(posix.dirname(configInContainer), include[1])));
  }
  return seen;
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
    const active = natsLines(read(hostPath));
    expect(active.some((l) => /^jetstream\b/.test(l))).toBe(true);
    expect(active).toContain('sync_interval: always');
  });

  it('includes the shared users file, mounted beside it', () => {
    const files = followIncludes(services.nats.volumes ?? [], '/etc/nats/nats-server.conf');
    expect(files).toEqual(['/etc/nats/nats-server.conf', '/etc/nats/nats-users.conf']);
    const users = natsLines(read('deploy/nats-users.conf'));
    for (const name of SERVICE_NAMES) {
      expect(users).toContain(`user: ${name}`);
      expect(users).toContain(`password: $${name.toUpperCase()}_NATS_PASSWORD`);
    }
  });
});

describe('docker-compose.cluster.yml (three-node NATS JetStream cluster)', () => {
  // Compose's merge tags: !override replaces what docker-compose.yml has, !reset removes it.
  class Tagged {
    constructor(
      readonly tag: '!override' | '!reset',
      readonly value: unknown,
    ) {}
  }
  const tags = (['!override', '!reset'] as const).flatMap((tag) =>
    (['scalar', 'sequence', 'mapping'] as const).map((kind) => new Type(tag, { kind, construct: (data) => new Tagged(tag, data) })),
  );
  const overlay = load(read('docker-compose.cluster.yml'), { schema: DEFAULT_SCHEMA.extend(tags) }) as {
    services: Record<string, Record<string, unknown>>;
    volumes?: Record<string, unknown>;
  };

  /** docker-compose.yml with the overlay merged in, by Compose's rules for the attributes used here. */
  const merged: Record<string, Service> = structuredClone(services);
  for (const [name, layer] of Object.entries(overlay.services)) {
    const service: Record<string, unknown> = { ...(merged[name] ?? {}) };
    for (const [key, value] of Object.entries(layer)) {
      if (value instanceof Tagged) {
        if (value.tag === '!reset') delete service[key];
        else service[key] = value.value;
      } else if (key === 'environment' || key === 'depends_on') {
        service[key] = { ...(service[key] as object), ...(value as object) };
      } else {
        service[key] = value;
      }
    }
    merged[name] = service as Service;
  }
  const NODES = ['nats-1', 'nats-2', 'nats-3'];
  const nodeConfig = (name: string) => {
    const [flag, file] = merged[name].command ?? [];
    expect(flag).toBe('-c');
    return file;
  };

  it('runs three NATS nodes and leaves the single server out', () => {
    for (const name of NODES) expect(merged[name]?.image).toBe(services.nats.image);
    expect(merged.nats.profiles?.length).toBeGreaterThan(0);
    const dependents = Object.entries(merged).filter(([, service]) => 'nats' in (service.depends_on ?? {}));
    expect(dependents.map(([name]) => name)).toEqual([]);
  });

  it.each(NODES)('%s has its own name, its own data volume, and the users of the single server', (name) => {
    const files = followIncludes(merged[name].volumes ?? [], nodeConfig(name));
    expect(files.map((f) => posix.basename(f))).toEqual([`${name}.conf`, 'cluster.conf', 'nats-users.conf']);
    const own = natsLines(readFileSync(hostPathOf(merged[name].volumes ?? [], files[0])!, 'utf8'));
    expect(own).toContain(`server_name: ${name}`);
    const data = (merged[name].volumes ?? []).find((v) => v.endsWith(':/data'))?.split(':')[0];
    expect(data).toBe(`${name}-data`);
    expect(overlay.volumes).toHaveProperty(data!);
    expect(merged[name].environment).toEqual(services.nats.environment);
  });

  it('clusters the three nodes with routes to each other and JetStream fsync on every write', () => {
    const cluster = natsLines(read('deploy/nats-cluster/cluster.conf'));
    const listen = cluster.map((l) => /^listen:\s*\S+:(\d+)$/.exec(l)?.[1]).find(Boolean);
    const routes = cluster.flatMap((l) => [...l.matchAll(/nats-route:\/\/([\w-]+):(\d+)/g)]);
    expect(routes.map((r) => r[1]).sort()).toEqual(NODES);
    for (const route of routes) expect(route[2]).toBe(listen);
    expect(cluster.some((l) => /^jetstream\b/.test(l))).toBe(true);
    expect(cluster).toContain('sync_interval: always');
    // Unique names: JetStream tells its peers apart by server name.
    expect(new Set(NODES.map((n) => natsLines(read('deploy/nats-cluster', `${n}.conf`)).find((l) => l.startsWith('server_name:')))).size).toBe(3);
  });

  it.each(APP_SERVICES)('%s points at all three nodes and keeps three replicas (EVENTS_REPLICAS=3)', (name) => {
    const env = merged[name].environment ?? {};
    expect(env.NATS_URL.split(',')).toEqual(NODES.map((n) => `nats://${n}:4222`));
    expect(env.EVENTS_REPLICAS).toBe('3');
    // Everything else is docker-compose.yml's.
    expect(env.NATS_USER).toBe(name);
    expect(env.NATS_PASSWORD).toBe(services[name].environment?.NATS_PASSWORD);
  });

  it.each(['accounts', 'notifications'])('%s waits for every node, and still for the migration', (name) => {
    const deps = merged[name].depends_on ?? {};
    for (const node of NODES) expect(deps[node]?.condition).toBe('service_healthy');
    expect(deps.migrate?.condition).toBe('service_completed_successfully');
    expect(deps).not.toHaveProperty('nats');
    for (const dep of Object.keys(services[name].depends_on ?? {}).filter((d) => d !== 'nats')) expect(deps).toHaveProperty(dep);
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

  it('puts the gateway\'s pages, scripts and styles beside dist/, where the gateway looks for them', () => {
    const stages = read('Dockerfile').split(/^FROM\s/im);
    const final = stages[stages.length - 1];
    expect(final).toMatch(/^WORKDIR\s+\/app\s*$/m);
    expect(final).toMatch(/^COPY\s.*\s\/app\/dist\s+\.\/dist\s*$/m);
    expect(final).toMatch(/^COPY\s.*\s\/app\/apps\/gateway\/assets\s+\.\/apps\/gateway\/assets\s*$/m);
  });

  it('puts the e-mail templates beside dist/, where notifications looks for them', () => {
    const stages = read('Dockerfile').split(/^FROM\s/im);
    const final = stages[stages.length - 1];
    expect(final).toMatch(/^COPY\s.*\s\/app\/apps\/notifications\/templates\s+\.\/apps\/notifications\/templates\s*$/m);
    // The build stage has them to copy: it copies all of apps/.
    expect(stages[stages.length - 2]).toMatch(/^COPY\s+apps\s+\.\/apps\s*$/m);
    expect(existsSync(join(root, 'apps/notifications/templates/layout.eta'))).toBe(true);
  });
});
