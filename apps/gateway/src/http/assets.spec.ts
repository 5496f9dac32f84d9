import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Module, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Registry } from 'prom-client';
import { InvitationPageController, PAGE_CSP } from '../invitations/invitation-page.controller';
import { PAGES_DIR, PUBLIC_DIR, serveAssets } from './assets';
import { setUpHttp } from './http-setup';

// content-disposition 3 is ESM only, which Jest 29 cannot require; @fastify/static needs it for `reply.download` alone.
jest.mock('content-disposition', () => ({ create: () => 'attachment' }));

@Module({ controllers: [InvitationPageController] })
class PagesOnly {}

const quiet: LoggerService = { log: () => undefined, error: () => undefined, warn: () => undefined };
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

describe('the pages and their assets', () => {
  let app: NestFastifyApplication;
  const get = (url: string) => app.getHttpAdapter().getInstance().inject({ method: 'GET', url });

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(PagesOnly, new FastifyAdapter(), { logger: false });
    setUpHttp(app.getHttpAdapter().getInstance(), new Registry(), quiet);
    serveAssets(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => app?.close());

  it.each([
    ['/invitations/some-token', 'invitation.html', '/assets/invitation.js'],
    ['/password-reset/some-token', 'password-reset.html', '/assets/password-reset.js'],
    ['/relationship-requests/some-token', 'connect.html', '/assets/connect.js'],
  ])('serves %s from %s with its own policy, never cached', async (url, file, script) => {
    const page = await get(url);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toBe(readFileSync(join(PAGES_DIR, file), 'utf8'));
    expect(page.body).toContain(`<script src="${script}"></script>`);
    expect(page.body).not.toContain('some-token');
  });

  it.each([
    ['invitation.js', 'application/javascript; charset=utf-8'],
    ['password-reset.js', 'application/javascript; charset=utf-8'],
    ['connect.js', 'application/javascript; charset=utf-8'],
    ['onboarding.css', 'text/css; charset=utf-8'],
  ])('serves /assets/%s for 5 minutes under the API policy', async (file, type) => {
    const asset = await get(`/assets/${file}`);
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe(type);
    expect(asset.headers['cache-control']).toBe('public, max-age=300');
    expect(asset.headers['content-security-policy']).toBe(API_CSP);
    expect(asset.body).toBe(readFileSync(join(PUBLIC_DIR, file), 'utf8'));
  });

  it('serves nothing else from the assets folder', async () => {
    for (const url of ['/assets/invitation.html', '/assets/pages/invitation.html', '/assets/../pages/invitation.html', '/assets/%2e%2e/pages/invitation.html', '/assets/', '/assets/nothing.js']) {
      expect([url, (await get(url)).statusCode]).toEqual([url, 404]);
    }
  });
});
