import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { call, startStack, type Stack } from '@clientele/testing';
import { CONSOLE_CSP } from '../../apps/gateway/src/console/console.controller';
import { clientBody, migrations, partnerWithToken } from './fixtures';

jest.setTimeout(300_000);

/**
 * The partner console in a real browser (Debian's Chromium, driven by
 * playwright-core) against the three services: sign in with the keyboard,
 * create a client through the form (a field error first), find it, open it,
 * change it, deactivate it, resend its owner's invitation, end the
 * relationship. Every screen is checked with axe-core (no serious or critical
 * violation); no page error, no console error but the failed calls the test
 * makes on purpose, no request to another origin.
 *
 * CONSOLE_SCREENSHOTS=<folder> writes the screenshots of the README there
 * (docs/console).
 */
// The functions given to page.evaluate run in the browser; this file's compilation has no DOM library.
declare const window: any, document: any, sessionStorage: any;
/** An element as the browser-side functions below read it. */
interface Control {
  id: string;
  type?: string;
  name?: string;
  disabled?: boolean;
  offsetParent: unknown;
  textContent: string | null;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe('the partner console in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let partner: Awaited<ReturnType<typeof partnerWithToken>>;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  /** The screens axe checked, with what it found. */
  const audited: Record<string, string[]> = {};
  const ownerEmail = `owner-${Date.now().toString(36)}@globex.test`;
  const accountName = `Globex ${Date.now().toString(36)}`;
  let clientId = '';

  /** axe-core in the page (evaluated over the DevTools protocol, which the page's CSP does not govern). */
  async function audit(screen: string): Promise<void> {
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    audited[screen] = serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(audited[screen]).toEqual([]);
  }

  async function screenshot(name: string): Promise<void> {
    if (!SCREENSHOTS) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  /** Presses Tab until the focus is on the element the locator finds; fails after `limit` presses. */
  async function tabTo(selector: string, limit = 30): Promise<void> {
    for (let i = 0; i < limit; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement === document.querySelector(s), selector)) return;
    }
    throw new Error(`${selector} was not reached with Tab in ${limit} presses`);
  }

  beforeAll(async () => {
    // The console the gateway serves: built from the sources now, so the test sees what it tests.
    execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-console.js')], { stdio: 'inherit' });
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium); .ci/run does`);
    stack = await startStack({ migrations });
    partner = await partnerWithToken(stack);
    await call(stack.baseUrl, 'POST', '/v1/service-plans', { token: partner.token, body: { name: 'Office Pro', product: 'Office', unitType: 'user' } });
    // The account's client form makes the phone required: the form marks it, and the API insists.
    const form = await call(stack.baseUrl, 'PUT', '/v1/account/client-form', { token: partner.token, body: { required: ['phone'], defaults: { language: 'it' } } });
    expect(form.status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const origin = new URL(stack.baseUrl).origin;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // A 4xx the test provokes is logged by Chromium as a failed resource; anything else (a CSP refusal) is an error.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) consoleErrors.push(message.text());
    });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('data:') && new URL(url).origin !== origin) foreignRequests.push(url);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('serves the console at /console and its deep links, with its own strict policy', async () => {
    for (const path of ['/console', '/console/clients/some-id']) {
      const answer = await fetch(`${stack.baseUrl}${path}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(answer.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      const html = await answer.text();
      expect(html).not.toMatch(/<script>|<style>|style=/);
      const script = /src="(\/console\/assets\/app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(`${stack.baseUrl}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/^(application|text)\/javascript/);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await fetch(`${stack.baseUrl}/console/assets/nothing.js`)).status).toBe(404);
    expect((await fetch(`${stack.baseUrl}/console/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('signs in with the keyboard alone', async () => {
    await page.goto(`${stack.baseUrl}/console`);
    await page.waitForURL('**/console/sign-in');
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await audit('sign-in');
    // A wrong password first: the message says so and the e-mail stays typed.
    await tabTo('#f-email');
    await page.keyboard.type(partner.body.owner.email);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-password');
    await page.keyboard.type('not the password at all');
    await page.keyboard.press('Enter');
    await page.getByText('The e-mail or the password is not right.').waitFor();
    expect(await page.getByLabel('E-mail').inputValue()).toBe(partner.body.owner.email);
    await page.getByLabel('Password', { exact: true }).fill('');
    await page.getByLabel('Password', { exact: true }).focus();
    await page.keyboard.type(partner.body.owner.password);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sign in');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
    expect((await context.cookies()).length).toBe(0);
    await audit('clients (empty)');
  });

  it('shows "Forgot password?" that sends the reset e-mail', async () => {
    const other = await context.newPage();
    await other.goto(`${stack.baseUrl}/console/forgot-password`);
    // Signed in in this tab only (sessionStorage): a new tab shows the public screen.
    await other.getByLabel('E-mail').fill(partner.body.owner.email);
    await other.getByRole('button', { name: 'Send the reset e-mail' }).click();
    await other.getByText(`If an account uses ${partner.body.owner.email}`).waitFor();
    const mail = await stack.smtp.waitForMessage((m) => m.text?.includes('/password-reset/') === true && JSON.stringify(m.to).includes(partner.body.owner.email), 'the reset e-mail');
    expect(mail.subject).toBeTruthy();
    await other.close();
  });

  it('marks the required fields, reaches every control with Tab, and shows each field error from the API beside its field', async () => {
    await page.getByRole('link', { name: 'Add client' }).click();
    await page.getByRole('heading', { name: 'Add client' }).waitFor();
    await page.getByRole('button', { name: 'Add a plan' }).waitFor();
    // Required by the body, and by the account's client form (phone); the default language from that form.
    for (const label of ['Account name', 'Company name', 'Country', 'Region', 'City', 'Owner first name', 'Owner last name', 'Owner e-mail', 'Phone']) {
      expect(await page.getByLabel(label, { exact: true }).getAttribute('aria-required')).toBe('true');
    }
    expect(await page.getByLabel('Postal code', { exact: true }).getAttribute('aria-required')).toBeNull();
    expect(await page.locator('#f-language').inputValue()).toBe('it');
    const invitation = page.getByRole('group', { name: 'Send the invitation' });
    for (const choice of ['Now', 'On a date', "Don't send"]) await invitation.getByLabel(choice).waitFor();
    expect(await invitation.getByLabel('Now').isChecked()).toBe(true);

    // Every control of the form is reached with Tab (a radio group is one stop), in the order they are shown.
    const controls: string[] = await page.evaluate(() => {
      const seen = new Set<string>();
      const found: Control[] = [...document.querySelectorAll('main form input, main form select, main form textarea, main form button, main form a[href]')];
      return found
        .filter((el) => !el.disabled && el.offsetParent !== null)
        .map((el) => (el.type === 'radio' ? `radio:${el.name}` : el.id || el.textContent || ''))
        .filter((key) => (seen.has(key) ? false : (seen.add(key), true)));
    });
    await page.getByLabel('Account name').focus();
    const reached = new Set<string>();
    for (let i = 0; i < controls.length + 5; i += 1) {
      reached.add(
        await page.evaluate(() => {
          const el: Control = document.activeElement;
          return el.type === 'radio' ? `radio:${el.name}` : el.id || el.textContent || '';
        }),
      );
      await page.keyboard.press('Tab');
    }
    expect(controls.filter((control) => !reached.has(control))).toEqual([]);
    await audit('add client');

    // Typed with the keyboard: everything but a valid owner e-mail and the phone.
    const typeInto = async (label: string, text: string) => {
      await page.getByLabel(label, { exact: true }).focus();
      await page.keyboard.type(text);
    };
    await typeInto('Account name', accountName);
    await typeInto('Company name', 'Globex S.p.A.');
    await typeInto('Country', 'IT');
    await typeInto('Region', 'Lazio');
    await typeInto('City', 'Roma');
    await typeInto('Owner first name', 'Carla');
    await typeInto('Owner last name', 'Bianchi');
    await typeInto('Owner e-mail', 'carla-at-globex');
    await page.getByRole('button', { name: 'Add a plan' }).click();
    await page.getByLabel('Plan', { exact: true }).selectOption({ label: 'Office Pro (Office, user)' });
    await page.getByLabel('Units', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Create client' }).focus();
    await page.keyboard.press('Enter');

    // The gateway checks the body's shape first: the bad e-mail, beside its field.
    const email = page.getByLabel('Owner e-mail', { exact: true });
    await page.getByText('Check the fields marked below.').waitFor();
    await page.waitForFunction(() => document.getElementById('f-owner-email')?.getAttribute('aria-invalid') === 'true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).toContain('f-owner-email-error');
    expect(await page.locator('#f-owner-email-error').textContent()).toMatch(/e-?mail/i);
    // What was typed is still there.
    expect(await page.getByLabel('Account name').inputValue()).toBe(accountName);
    expect(await page.getByLabel('City').inputValue()).toBe('Roma');
    expect(await page.getByLabel('Units', { exact: true }).inputValue()).toBe('3');
    expect(await email.inputValue()).toBe('carla-at-globex');
    await audit('add client, with field errors');
    await screenshot('add-client');

    // Then the account's own rule: the phone its client form requires.
    await email.fill(ownerEmail);
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.waitForFunction(() => document.getElementById('f-phone')?.getAttribute('aria-invalid') === 'true');
    expect(await page.locator('#f-phone-error').textContent()).toBe("Your account's settings make this field required.");
    expect(await email.getAttribute('aria-invalid')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-phone');
  });

  it('creates the client; the owner gets the invitation e-mail', async () => {
    await page.getByLabel('Phone', { exact: true }).fill('+390612345678');
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('heading', { name: accountName }).waitFor();
    clientId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByText(`Client ${accountName} created.`).waitFor();
    const owner = page.getByRole('region', { name: 'Owner' });
    await owner.getByText('Invited', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Licences' }).getByRole('rowheader', { name: /Office Pro/ }).waitFor();
    const mail = await stack.smtp.waitForMessage((m) => JSON.stringify(m.to).includes(ownerEmail), 'the invitation e-mail');
    expect(mail.text).toContain('/invitations/');
    // The e-mail log shows it once notifications recorded it.
    for (let i = 0; i < 20; i += 1) {
      await page.getByRole('region', { name: 'E-mail log' }).getByRole('button', { name: 'Reload' }).click();
      if (await page.getByRole('region', { name: 'E-mail log' }).getByText(ownerEmail).isVisible()) break;
      await page.waitForTimeout(250);
    }
    await page.getByRole('region', { name: 'E-mail log' }).getByText(ownerEmail).waitFor();
    await audit('client');
  });

  it('finds it in the list: search, status filter, sort', async () => {
    // A second client, made through the API, for the list to have more than one row.
    const other = clientBody({ accountName: 'Acme Roma', phone: '+390698765432' });
    expect((await call(stack.baseUrl, 'POST', '/v1/clients', { token: partner.token, body: other })).status).toBe(201);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    for (const header of ['Account name', 'Company', 'Status']) await page.getByRole('columnheader', { name: header }).waitFor();
    await page.getByRole('link', { name: accountName }).waitFor();
    const names = () => page.locator('tbody th a:first-child').allTextContents();
    expect(await names()).toEqual(['Acme Roma', accountName]);
    await page.getByRole('columnheader', { name: 'Account name' }).getByRole('button').click();
    await page.waitForFunction(() => document.querySelector('th[aria-sort="descending"]') !== null);
    await page.waitForFunction((first) => document.querySelector('tbody th a')?.textContent === first, accountName);
    expect(await names()).toEqual([accountName, 'Acme Roma']);
    await page.getByRole('searchbox', { name: 'Search' }).fill(accountName.slice(0, 8).toLowerCase());
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    expect(await names()).toEqual([accountName]);
    expect(page.url()).toContain('q=');
    await page.getByLabel('Status').selectOption('inactive');
    await page.getByText('No clients match this search.').waitFor();
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('link', { name: accountName }).waitFor();

    // One row a page: next and previous follow the API's cursors.
    await page.goto(`${stack.baseUrl}/console/clients?limit=1`);
    await page.getByRole('link', { name: 'Acme Roma' }).waitFor();
    const pages = page.getByRole('navigation', { name: 'Pages' });
    expect(await pages.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);
    await pages.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('link', { name: accountName }).waitFor();
    await pages.getByText('Page 2').waitFor();
    expect(await pages.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await pages.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('link', { name: 'Acme Roma' }).waitFor();
    await page.goto(`${stack.baseUrl}/console/clients`);
    await page.getByRole('link', { name: accountName }).waitFor();
    await screenshot('clients');
    await audit('clients');
  });

  it('opens it, deactivates and activates it, resends the invitation', async () => {
    await page.getByRole('link', { name: accountName }).click();
    await page.getByRole('heading', { name: accountName }).waitFor();
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('button', { name: 'Activate' }).waitFor();
    await page.getByText('The client is inactive.').waitFor();
    expect((await call(stack.baseUrl, 'GET', `/v1/clients/${clientId}`, { token: partner.token })).body.status).toBe('inactive');
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('button', { name: 'Deactivate' }).waitFor();

    const before = stack.smtp.messages.filter((m) => JSON.stringify(m.to).includes(ownerEmail)).length;
    await page.getByRole('button', { name: 'Resend invitation' }).click();
    await page.getByText(`A new invitation is on its way to ${ownerEmail}.`).waitFor();
    await stack.smtp.waitForMessage(
      () => stack.smtp.messages.filter((m) => JSON.stringify(m.to).includes(ownerEmail)).length > before,
      'the second invitation e-mail',
    );
    await screenshot('client');
  });

  it('edits its details with If-Match: a change made meanwhile is a conflict the page offers to reload', async () => {
    await page.getByRole('region', { name: 'Details' }).getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Company name').fill('Globex Italia S.p.A.');
    // Someone else changes the client in the meantime.
    const meanwhile = await call(stack.baseUrl, 'PATCH', `/v1/clients/${clientId}`, { token: partner.token, body: { companyName: 'Globex Holding S.p.A.' } });
    expect(meanwhile.status).toBe(200);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Someone else changed this client while you were editing.', { exact: false }).waitFor();
    expect(await page.getByLabel('Company name').inputValue()).toBe('Globex Italia S.p.A.');
    await audit('client, edit conflict');
    await page.getByRole('button', { name: 'Reload' }).first().click();
    await page.waitForFunction(() => document.getElementById('f-edit-companyName')?.value === 'Globex Holding S.p.A.');
    await page.getByLabel('Company name').fill('Globex Italia S.p.A.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    expect((await call(stack.baseUrl, 'GET', `/v1/clients/${clientId}`, { token: partner.token })).body.companyName).toBe('Globex Italia S.p.A.');
  });

  it('ends the relationship after a confirmation dialog', async () => {
    await page.getByRole('button', { name: 'End relationship' }).click();
    const dialog = page.getByRole('dialog', { name: `End the relationship with ${accountName}?` });
    await dialog.waitFor();
    await audit('end relationship dialog');
    // Escape closes it and changes nothing.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'End relationship' }).click();
    await dialog.getByRole('button', { name: 'End relationship' }).click();
    await page.getByText(`The relationship with ${accountName} has ended.`).waitFor();
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    await page.getByRole('link', { name: 'Acme Roma' }).waitFor();
    expect(await page.getByRole('link', { name: accountName }).count()).toBe(0);
    expect((await call(stack.baseUrl, 'GET', `/v1/clients/${clientId}`, { token: partner.token })).status).toBe(404);
  });

  it('browses down the channel with ?parent=', async () => {
    const resellerBody = clientBody({ type: 'reseller', accountName: 'Reseller Sud', phone: '+390811234567', owner: { firstName: 'Rita', lastName: 'Sud', email: `rita-${Date.now()}@sud.test`, password: 'correct horse battery staple' } });
    expect((await call(stack.baseUrl, 'POST', '/v1/clients', { token: partner.token, body: resellerBody })).status).toBe(201);
    const reseller = await call(stack.baseUrl, 'POST', '/v1/auth/token', { body: { email: resellerBody.owner.email, password: resellerBody.owner.password } });
    expect((await call(stack.baseUrl, 'POST', '/v1/clients', { token: reseller.body.accessToken, body: clientBody({ accountName: 'Bottega Napoli' }) })).status).toBe(201);
    await page.reload();
    await page.getByRole('link', { name: 'Their clients (Reseller Sud)' }).click();
    await page.getByRole('heading', { name: 'Clients of Reseller Sud' }).waitFor();
    await page.getByRole('link', { name: 'Bottega Napoli' }).waitFor();
    expect(page.url()).toContain('parent=');
    await audit('clients of a reseller');
    await page.getByRole('link', { name: 'Back to your clients' }).click();
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
  });

  it('speaks the four languages, chosen from the browser or with the switch', async () => {
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { name: 'Clientes' }).waitFor();
    await page.waitForFunction(() => document.documentElement.lang === 'es', undefined, { timeout: 2_000 });
    await page.reload();
    await page.getByRole('heading', { name: 'Clientes' }).waitFor();
    await audit('clients in Spanish');
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { name: 'Clients' }).waitFor();

    const italian = await browser.newContext({ locale: 'it-IT' });
    const other = await italian.newPage();
    await other.goto(`${stack.baseUrl}/console/sign-in`);
    await other.getByRole('heading', { name: 'Accedi' }).waitFor();
    await other.getByLabel('Lingua').selectOption('pt-BR');
    await other.getByRole('button', { name: 'Entrar' }).waitFor();
    await italian.close();
  });

  it('shows the other screens: invitations to connect, plans, API keys (a new key once), the own account', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Invitations to connect' }).click();
    await page.getByRole('heading', { name: 'Invitations to connect' }).waitFor();
    await page.getByLabel('E-mail of their administrator').fill(`admin-${Date.now()}@elsewhere.test`);
    await page.getByRole('button', { name: 'Send the invitation to connect' }).click();
    await page.getByRole('cell', { name: 'Pending' }).waitFor();
    await audit('invitations to connect');

    await nav.getByRole('link', { name: 'Service plans' }).click();
    await page.getByRole('heading', { name: 'Service plans' }).waitFor();
    await page.getByRole('rowheader', { name: 'Office Pro' }).waitFor();
    await audit('service plans');

    await nav.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('billing sync');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByRole('textbox', { name: 'Your new key billing sync' }).inputValue();
    expect(key).toMatch(/^ck_/);
    await page.getByRole('button', { name: 'Copy key' }).waitFor();
    await audit('API keys, new key');
    // The key works, and is never shown again.
    expect((await call(stack.baseUrl, 'GET', '/v1/account', { token: key })).status).toBe(200);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.content()).not.toContain(key);
    await page.reload();
    await page.getByRole('rowheader', { name: 'billing sync' }).waitFor();
    expect(await page.content()).not.toContain(key);

    await nav.getByRole('link', { name: 'Your account' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByText(partner.body.companyName).waitFor();
    await audit('own account');
  });

  it('signs out: the token is gone, and the console asks to sign in before any screen', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // A link to a screen, followed signed out, opens that screen after signing in.
    await page.goto(`${stack.baseUrl}/console/api-keys`);
    await page.waitForURL('**/console/sign-in');
    await page.getByLabel('E-mail').fill(partner.body.owner.email);
    await page.getByLabel('Password', { exact: true }).fill(partner.body.owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/api-keys');
  });

  it('raised no page error and no console error, and asked no other origin for anything', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    expect(Object.keys(audited).length).toBeGreaterThanOrEqual(12);
  });
});
