import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

const root = join(__dirname, '../..');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; description?: string };
}

/** Every metric name the services register (the string literals `'clientele_…'` in their sources). */
function registeredMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) {
        for (const [, name] of readFileSync(path, 'utf8').matchAll(/['`](clientele_[a-z_]+)['`]/g)) names.add(name);
      }
    }
  };
  walk(join(root, 'apps'));
  walk(join(root, 'libs'));
  return names;
}

describe('deploy/prometheus/alerts.yml', () => {
  const doc = load(readFileSync(join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: { name: string; rules: Rule[] }[] };
  const rules = doc.groups.flatMap((g) => g.rules);

  it('is a rule file whose every alert has an expression, a severity and words for the operator', () => {
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Clientele[A-Za-z]+$/);
      expect(rule.expr.trim()).not.toBe('');
      expect(['page', 'ticket', 'info']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.description).toBeTruthy();
      if (rule.for) expect(rule.for).toMatch(/^\d+[smh]$/);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it('watches only metrics the services export', () => {
    const exported = registeredMetrics();
    const used = rules.flatMap((r) => [...r.expr.matchAll(/\b(clientele_[a-z_]+)/g)].map(([, name]) => name.replace(/_(bucket|count|sum)$/, '')));
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect([...exported]).toContain(name);
  });

  it('covers what docs/operations.md tells operators to watch', () => {
    const watched = ['clientele_outbox_oldest_unsent_seconds', 'clientele_events_pending', 'clientele_events_redelivered', 'clientele_email_oldest_due_seconds', 'clientele_sweep_lag_seconds'];
    const exprs = rules.map((r) => r.expr).join('\n');
    for (const name of watched) expect(exprs).toContain(name);
    const guide = readFileSync(join(root, 'docs/operations.md'), 'utf8');
    for (const rule of rules) expect(guide).toContain(rule.alert);
  });
});
