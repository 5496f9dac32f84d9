import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { ConfigMap, Namespace, Pod, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

/**
 * deploy/k8s, checked offline: every manifest against the Kubernetes API
 * schemas that kubernetes-models ships (ajv validators generated from the
 * OpenAPI definitions), then what the deployment relies on. Those schemas,
 * like the API server's OpenAPI, allow unknown fields; the assertions below
 * read the fields that matter, so a misspelt one fails there. The NATS Helm
 * values and the CloudNativePG Cluster have no schema here: their shape is
 * checked against the chart's values layout and the CRD's fields.
 */
const root = join(__dirname, '../..');
const k8s = join(root, 'deploy/k8s');
const read = (...p: string[]) => readFileSync(join(root, ...p), 'utf8');

type Obj = Record<string, any>;
interface Model {
  validate(): void;
}
const MODELS: Record<string, new (data: any) => Model> = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Pod': Pod, // for parts of other documents (the chart's patches, the database's resources)
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

/** The schema's complaint about a document, or null. */
function schemaErrors(doc: Obj): string | null {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) return `no schema for ${doc.apiVersion} ${doc.kind}`;
  try {
    new Model(doc).validate();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** KEY=value lines, as kustomize's `envs` reads them (comments and blank lines skipped). */
function envFile(file: string): Record<string, string> {
  const entries = readFileSync(join(k8s, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const at = l.indexOf('=');
      return [l.slice(0, at), l.slice(at + 1)] as const;
    });
  return Object.fromEntries(entries);
}

const kustomization = load(readFileSync(join(k8s, 'kustomization.yaml'), 'utf8')) as Obj;
const resources: string[] = kustomization.resources;
const docs: Array<{ file: string; doc: Obj }> = resources.flatMap((file) =>
  (loadAll(readFileSync(join(k8s, file), 'utf8')) as Obj[]).filter(Boolean).map((doc) => ({ file, doc })),
);
const find = (kind: string, name: string) => docs.find(({ doc }) => doc.kind === kind && doc.metadata?.name === name)?.doc;

const configGenerator = kustomization.configMapGenerator.find((g: Obj) => g.name === 'clientele-config');
const secretGenerator = kustomization.secretGenerator.find((g: Obj) => g.name === 'clientele-secrets');
const config = envFile(configGenerator.envs[0]);
const secretKeys = Object.keys(envFile(`${secretGenerator.envs[0]}.example`));
const natsValues = load(readFileSync(join(k8s, 'nats-values.yaml'), 'utf8')) as Obj;
const postgres = load(readFileSync(join(k8s, 'postgres-cluster.yaml'), 'utf8')) as Obj;
const DB_SECRET = `${postgres.metadata.name}-app`; // CloudNativePG's Secret for the database owner

/** Every setting .env.example documents, commented-out ones included. */
const documented = new Set([...read('.env.example').matchAll(/(?:^|[#\s])([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

const SERVICES = [
  { name: 'gateway', portEnv: 'PORT', port: 3000, database: false },
  { name: 'accounts', portEnv: 'HTTP_PORT', port: 3001, database: true },
  { name: 'notifications', portEnv: 'HTTP_PORT', port: 3002, database: true },
];

const seconds = (duration: string) => {
  const m = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return Number(m[1]) / ({ ms: 1000, s: 1, m: 1 / 60 } as Record<string, number>)[m[2]];
};
const container = (deployment: Obj) => deployment.spec.template.spec.containers[0];
const envOf = (c: Obj) => Object.fromEntries((c.env ?? []).map((e: Obj) => [e.name, e]));
const secretRef = (c: Obj, name: string) => envOf(c)[name]?.valueFrom?.secretKeyRef;
const matches = (selector: Obj, labels: Obj) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('deploy/k8s: the kustomization', () => {
  it('lists every manifest in the folder, except the ones installed apart', () => {
    const APART = ['kustomization.yaml', 'nats-values.yaml', 'postgres-cluster.yaml'];
    const manifests = readdirSync(k8s).filter((f) => /\.ya?ml$/.test(f) && !APART.includes(f));
    expect([...resources].sort()).toEqual(manifests.sort());
    for (const file of [...configGenerator.envs, `${secretGenerator.envs[0]}.example`]) expect(existsSync(join(k8s, file))).toBe(true);
    // README.md says how the two apart are installed.
    const readme = readFileSync(join(k8s, 'README.md'), 'utf8');
    for (const file of APART.slice(1)) expect(readme).toContain(file);
  });

  it('puts everything in one namespace, the one the database and NATS are installed in', () => {
    expect(find('Namespace', kustomization.namespace)).toBeDefined();
    expect(postgres.metadata.namespace).toBe(kustomization.namespace);
    expect(readFileSync(join(k8s, 'README.md'), 'utf8')).toContain(`-n ${kustomization.namespace}`);
  });

  it('commits no secret: the example has the keys and no values, the real file is ignored', () => {
    expect(secretKeys.length).toBeGreaterThan(0);
    expect(Object.values(envFile(`${secretGenerator.envs[0]}.example`)).every((v) => v === '')).toBe(true);
    expect(readFileSync(join(k8s, '.gitignore'), 'utf8').split('\n')).toContain(secretGenerator.envs[0]);
  });

  it('has one image for every process, set in one place', () => {
    const images = docs.filter(({ doc }) => doc.spec?.template?.spec).flatMap(({ doc }) => doc.spec.template.spec.containers.map((c: Obj) => c.image));
    expect(new Set(images)).toEqual(new Set([kustomization.images[0].name]));
  });
});

describe('deploy/k8s: every manifest is valid against the Kubernetes schemas', () => {
  it.each(docs.map(({ file, doc }) => [file, doc.kind, doc.metadata?.name, doc] as const))('%s: %s %s', (_file, _kind, name, doc) => {
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(schemaErrors(doc)).toBeNull();
  });

  it('so is what the generators make (ConfigMap from config.env, Secret from the example)', () => {
    expect(schemaErrors({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: configGenerator.name }, data: config })).toBeNull();
    const data = Object.fromEntries(secretKeys.map((k) => [k, 'placeholder']));
    expect(schemaErrors({ apiVersion: 'v1', kind: 'Secret', metadata: { name: secretGenerator.name }, stringData: data })).toBeNull();
  });

  it('and the validator does catch a broken one', () => {
    const broken = structuredClone(find('Deployment', 'gateway')!);
    container(broken).ports[0].containerPort = 'http';
    expect(schemaErrors(broken)).toMatch(/containerPort must be integer/);
  });
});

describe.each(SERVICES)('deploy/k8s: $name', ({ name, portEnv, port, database }) => {
  const deployment = find('Deployment', name)!;
  const c = deployment && container(deployment);
  const pod = deployment?.spec.template;
  /** A probe's or a Service's port, by name or number, as a container port number. */
  const portNumber = (p: string | number) => (typeof p === 'number' ? p : c.ports.find((cp: Obj) => cp.name === p)?.containerPort);

  it('runs node scripts/service.js <name>', () => {
    expect(deployment).toBeDefined();
    expect(c.command).toEqual(['node', 'scripts/service.js', name]);
  });

  it(`serves its health on ${portEnv}=${port}, and is probed there: ready /health/ready, live /health/live`, () => {
    expect(envOf(c)[portEnv]?.value).toBe(String(port));
    expect(c.ports.map((p: Obj) => p.containerPort)).toContain(port);
    expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(portNumber(c.readinessProbe.httpGet.port)).toBe(port);
    expect(c.livenessProbe.httpGet.path).toBe('/health/live');
    expect(portNumber(c.livenessProbe.httpGet.port)).toBe(port);
  });

  it('requests CPU and memory and has limits', () => {
    expect(c.resources.requests).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
    expect(c.resources.limits).toEqual(expect.objectContaining({ memory: expect.anything() }));
  });

  it('gets SIGKILL only after its drain (SHUTDOWN_GRACE) and any preStop pause', () => {
    const drain = seconds(config.SHUTDOWN_GRACE ?? '10s'); // the default in libs/config/src/common.config.ts
    const pause = c.lifecycle?.preStop?.exec?.command?.[0] === 'sleep' ? Number(c.lifecycle.preStop.exec.command[1]) : 0;
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(drain + pause);
  });

  it('runs as a non-root user with a read-only root filesystem', () => {
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
    // A numeric user: the image says USER node, which the kubelet cannot check.
    expect(pod.spec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(c.securityContext).toEqual(expect.objectContaining({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }));
  });

  it('takes its settings from the ConfigMap and its secrets from Secret references', () => {
    expect(c.envFrom).toEqual([{ configMapRef: { name: configGenerator.name } }]);
    expect(envOf(c).NATS_USER?.value).toBe(name);
    expect(secretRef(c, 'NATS_PASSWORD')).toEqual({ name: secretGenerator.name, key: `${name.toUpperCase()}_NATS_PASSWORD` });
    for (const e of c.env.filter((e: Obj) => e.valueFrom)) {
      const ref = e.valueFrom.secretKeyRef;
      if (ref.name === secretGenerator.name) expect(secretKeys).toContain(ref.key);
      else expect(ref).toEqual({ name: DB_SECRET, key: 'uri' });
    }
    if (database) expect(secretRef(c, 'DATABASE_URL')).toEqual({ name: DB_SECRET, key: 'uri' });
    else expect(envOf(c)).not.toHaveProperty('DATABASE_URL');
  });

  it('leaves the replica count to its HorizontalPodAutoscaler (CPU, autoscaling/v2)', () => {
    expect(deployment.spec).not.toHaveProperty('replicas');
    const hpa = find('HorizontalPodAutoscaler', name)!;
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.metrics).toContainEqual(expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }));
  });

  it('has a PodDisruptionBudget over its pods that still lets a node drain', () => {
    const pdb = find('PodDisruptionBudget', name)!;
    expect(matches(pdb.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    expect(matches(deployment.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    const minReplicas = find('HorizontalPodAutoscaler', name)!.spec.minReplicas;
    if ('minAvailable' in pdb.spec) expect(pdb.spec.minAvailable).toBeLessThan(minReplicas);
    else expect(pdb.spec.maxUnavailable).toBeGreaterThanOrEqual(1);
  });

  it('has a Service on the right port: the API for the gateway, metrics only for the others', () => {
    const service = find('Service', name)!;
    expect(matches(service.spec.selector, pod.metadata.labels)).toBe(true);
    expect(service.spec.ports.map((p: Obj) => portNumber(p.targetPort))).toEqual([port]);
  });
});

describe('deploy/k8s: the migration Job', () => {
  const job = find('Job', 'migrate')!;
  const c = job && container(job);

  it('runs node scripts/migrate.js against the CloudNativePG database, retrying while it starts', () => {
    expect(c.command).toEqual(['node', 'scripts/migrate.js']);
    expect(secretRef(c, 'DATABASE_URL')).toEqual({ name: DB_SECRET, key: 'uri' });
    expect(['Never', 'OnFailure']).toContain(job.spec.template.spec.restartPolicy);
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    // A finished Job goes away, so the next apply (a new image) can create it again.
    expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
  });

  it('runs as a non-root user with a read-only root filesystem', () => {
    expect(job.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
  });
});

describe('deploy/k8s: settings', () => {
  it('uses only settings that .env.example documents', () => {
    const names = new Set([
      ...Object.keys(config),
      ...docs.filter(({ doc }) => doc.spec?.template?.spec).flatMap(({ doc }) => doc.spec.template.spec.containers.flatMap((c: Obj) => (c.env ?? []).map((e: Obj) => e.name))),
    ]);
    expect([...names].filter((n) => !documented.has(n))).toEqual([]);
  });

  it('points the services at every node of the NATS release, with as many replicas as nodes', () => {
    const nodes = natsValues.config.cluster.replicas;
    const urls = config.NATS_URL.split(',');
    expect(urls).toEqual(Array.from({ length: nodes }, (_, i) => `nats://nats-${i}.nats-headless:4222`));
    expect(config.EVENTS_REPLICAS).toBe(String(nodes));
    expect(readFileSync(join(k8s, 'README.md'), 'utf8')).toMatch(/helm upgrade --install nats nats\/nats\b/);
  });

  it('lets PostgreSQL take every pool at the autoscalers’ maximum', () => {
    const pools = SERVICES.filter((s) => s.database).reduce((sum, s) => sum + find('HorizontalPodAutoscaler', s.name)!.spec.maxReplicas * Number(config.DATABASE_POOL_MAX), 0);
    expect(Number(postgres.spec.postgresql.parameters.max_connections)).toBeGreaterThan(pools);
  });
});

describe('deploy/k8s/nats-values.yaml (NATS Helm chart)', () => {
  const { config: nats, container: natsContainer, podTemplate } = natsValues;

  it('makes a three-node JetStream cluster on persistent volumes, fsync on every write', () => {
    expect(nats.cluster).toEqual(expect.objectContaining({ enabled: true, replicas: 3 }));
    expect(nats.jetstream.enabled).toBe(true);
    expect(nats.jetstream.fileStore).toEqual(expect.objectContaining({ enabled: true, pvc: expect.objectContaining({ enabled: true }) }));
    expect(schemaErrors({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { size: nats.jetstream.fileStore.pvc.size } })).toBeNull();
    expect(nats.jetstream.merge.sync_interval).toBe('always');
  });

  it('includes deploy/nats-users.conf from a mounted ConfigMap', () => {
    // The chart writes its config to /etc/nats-config/nats.conf; an include is relative to it.
    const included = posix.join('/etc/nats-config', nats.merge.$include);
    const mount = natsContainer.patch.find((p: Obj) => p.path === '/volumeMounts/-').value;
    expect(posix.dirname(included)).toBe(mount.mountPath);
    expect(mount.mountPath.startsWith('/etc/')).toBe(true); // the config reloader sees it too
    const volume = podTemplate.patch.find((p: Obj) => p.path === '/spec/volumes/-').value;
    expect(volume.name).toBe(mount.name);
    // README.md makes that ConfigMap from the one users file.
    const readme = readFileSync(join(k8s, 'README.md'), 'utf8');
    expect(readme).toMatch(new RegExp(`configmap ${volume.configMap.name} .*--from-file=${posix.basename(included)}=deploy/nats-users.conf`));
    // The patches produce a valid pod.
    expect(schemaErrors({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nats-0' }, spec: { containers: [{ name: 'nats', volumeMounts: [mount] }], volumes: [volume] } })).toBeNull();
  });

  it('gives the servers the passwords the services use, from the same Secret', () => {
    const users = read('deploy/nats-users.conf');
    const variables = [...users.matchAll(/password:\s*\$(\w+)/g)].map((m) => m[1]);
    expect(variables.length).toBe(3);
    for (const variable of variables) {
      expect(natsContainer.env[variable]).toEqual({ valueFrom: { secretKeyRef: { name: secretGenerator.name, key: variable } } });
      expect(secretKeys).toContain(variable);
    }
  });
});

describe('deploy/k8s/postgres-cluster.yaml (CloudNativePG Cluster)', () => {
  // No schema package for the CRD in this project: its fields (postgresql.cnpg.io/v1
  // ClusterSpec, cloudnative-pg api/v1) that this file may use, checked by hand.
  const SPEC_FIELDS = [
    'description', 'inheritedMetadata', 'imageName', 'imageCatalogRef', 'imagePullPolicy', 'schedulerName', 'postgresUID', 'postgresGID',
    'instances', 'minSyncReplicas', 'maxSyncReplicas', 'postgresql', 'replicationSlots', 'bootstrap', 'replica', 'superuserSecret',
    'enableSuperuserAccess', 'certificates', 'imagePullSecrets', 'storage', 'serviceAccountTemplate', 'walStorage', 'ephemeralVolumeSource',
    'startDelay', 'stopDelay', 'smartShutdownTimeout', 'switchoverDelay', 'failoverDelay', 'livenessProbeTimeout', 'affinity',
    'topologySpreadConstraints', 'resources', 'ephemeralVolumesSizeLimit', 'priorityClassName', 'primaryUpdateStrategy', 'primaryUpdateMethod',
    'backup', 'nodeMaintenanceWindow', 'monitoring', 'externalClusters', 'logLevel', 'projectedVolumeTemplate', 'env', 'envFrom', 'managed',
    'seccompProfile', 'podSecurityContext', 'securityContext', 'tablespaces', 'enablePDB', 'plugins', 'probes',
  ];
  const POSTGRESQL_FIELDS = ['parameters', 'synchronous', 'pg_hba', 'pg_ident', 'syncReplicaElectionConstraint', 'shared_preload_libraries', 'ldap', 'promotionTimeout', 'enableAlterSystem', 'extensions'];
  const AFFINITY_FIELDS = ['enablePodAntiAffinity', 'topologyKey', 'nodeSelector', 'nodeAffinity', 'tolerations', 'podAntiAffinityType', 'additionalPodAntiAffinity', 'additionalPodAffinity'];
  const { spec } = postgres;
  const unknown = (o: Obj, known: string[]) => Object.keys(o).filter((k) => !known.includes(k));

  it('is a Cluster of three instances with storage', () => {
    expect(postgres.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(postgres.kind).toBe('Cluster');
    expect(spec.instances).toBe(3);
    expect(spec.storage.size).toMatch(/^\d+(Mi|Gi|Ti)$/);
  });

  it('creates the database clientele owned by clientele (whose Secret <cluster>-app the services read)', () => {
    expect(spec.bootstrap.initdb).toEqual(expect.objectContaining({ database: 'clientele', owner: 'clientele' }));
  });

  it('uses only fields of the CRD, with valid values', () => {
    expect(unknown(spec, SPEC_FIELDS)).toEqual([]);
    expect(unknown(spec.postgresql, POSTGRESQL_FIELDS)).toEqual([]);
    expect(unknown(spec.affinity, AFFINITY_FIELDS)).toEqual([]);
    expect(['unsupervised', 'supervised']).toContain(spec.primaryUpdateStrategy);
    expect(['preferred', 'required']).toContain(spec.affinity.podAntiAffinityType);
    expect(['any', 'first']).toContain(spec.postgresql.synchronous.method);
    expect(spec.postgresql.synchronous.number).toBeLessThan(spec.instances);
    for (const value of Object.values(spec.postgresql.parameters)) expect(typeof value).toBe('string');
    // resources is the core ResourceRequirements type: validated by the Kubernetes schema.
    expect(schemaErrors({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pg' }, spec: { containers: [{ name: 'postgres', resources: spec.resources }] } })).toBeNull();
  });
});
