import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * `apps/gateway/assets` under the project root. tsc does not copy it into
 * dist/, so it is looked for above this file: the same folder serves the
 * sources (Jest, ts-node) and the compiled tree (`npm start`,
 * `scripts/service.js`, the Docker image, which copies it beside dist/).
 */
export const ASSETS_DIR = findAssets(__dirname);
/** The pages behind the e-mails' links, sent by their routes with their own policy. */
export const PAGES_DIR = join(ASSETS_DIR, 'pages');
/** Served as they are under /assets/. */
export const PUBLIC_DIR = join(ASSETS_DIR, 'public');

/**
 * The pages' scripts and styles at /assets/<file>, cacheable for 5 minutes,
 * through @fastify/static, which Nest loads on this call: importing this file
 * (the isolation matrix does, under Jest) does not load it.
 */
export function serveAssets(app: NestFastifyApplication): void {
  app.useStaticAssets({
    root: PUBLIC_DIR,
    prefix: '/assets/',
    // One route per file found at start: any other path is a 404 without a look at the disk.
    wildcard: false,
    index: false,
    maxAge: 300_000,
    // Swagger UI registers this plugin too, without `reply.sendFile`; the page routes use this one's.
    decorateReply: true,
  });
}

function findAssets(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'gateway', 'assets');
    if (existsSync(join(candidate, 'public'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`apps/gateway/assets not found in any folder above ${from}`);
  }
}
