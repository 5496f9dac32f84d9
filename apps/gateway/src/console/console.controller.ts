import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { SendOptions } from '@fastify/static';
import { ErrorCodes } from '@clientele/contracts';
import { RpcError } from '@clientele/messaging';
import { Public } from '../auth/auth.guard';

/**
 * The console's policy: its own script and stylesheet, calls to this origin
 * only, no inline code or styles, no framing. The same as the invitation
 * pages', with images from data: URLs (the favicon).
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** `dist/console`, which `npm run build` writes (scripts/build-console.js); null while it has not been built. */
export const CONSOLE_DIR = findConsole(__dirname);

/** index.html is never cached: it names the current build's files. */
const PAGE_FILE: SendOptions = { cacheControl: false, etag: false, lastModified: false, acceptRanges: false };
/** The script and stylesheet carry a content hash in their names: a new build has new names, so they may be kept for good. */
const HASHED_FILE: SendOptions = { maxAge: 365 * 24 * 3600 * 1000, immutable: true, etag: false, lastModified: false, acceptRanges: false };
const ASSET_NAME = /^[A-Za-z0-9_-]+\.(js|css)$/;

/**
 * The partner console (apps/gateway/console), a single-page app on the public
 * API of this origin. Every path under /console answers the same page, so a
 * link to a screen (a client's page, say) opens it; the page's script reads
 * the path.
 */
@ApiExcludeController()
@Public()
@Controller('console')
export class ConsoleController {
  @Get()
  page(@Res() reply: FastifyReply) {
    sendIndex(reply);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply) {
    const assets = CONSOLE_DIR && join(CONSOLE_DIR, 'assets');
    if (!assets || !ASSET_NAME.test(file) || !existsSync(join(assets, file))) throw notFound('There is nothing at this path.');
    void reply.sendFile(file, assets, HASHED_FILE);
  }

  @Get('*')
  deepLink(@Res() reply: FastifyReply) {
    sendIndex(reply);
  }
}

function sendIndex(reply: FastifyReply): void {
  if (!CONSOLE_DIR) throw notFound('The console has not been built: run npm run build.');
  void reply.header('Content-Security-Policy', CONSOLE_CSP).sendFile('index.html', CONSOLE_DIR, PAGE_FILE);
}

function notFound(detail: string): RpcError {
  return new RpcError(ErrorCodes.notFound, 404, detail);
}

/** Looks for dist/console above this file: from the sources (Jest) and from the compiled tree alike. */
function findConsole(from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'dist', 'console');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}
