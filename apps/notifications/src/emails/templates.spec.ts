import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES, pickLocale, renderConnect, renderInvitation, renderPasswordLink, TEMPLATES_DIR } from './templates';

const HOSTILE = `<script>alert(1)</script> & "Co"`;
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;';
const expiresAt = new Date('2026-12-01T10:30:00Z');
const link = 'https://app.example.com/invitations/abc?token=t1&next=%2Fhome';

const invitation = { firstName: 'Ana', companyName: HOSTILE, accountName: 'Main', inviter: 'Bob', link, expiresAt };
// The password e-mails name the company in the subject only: the hostile first name is what their text carries.
const password = { firstName: HOSTILE, companyName: HOSTILE, link, expiresAt };
const connect = { fromCompany: HOSTILE, message: HOSTILE, link, expiresAt };

/** Every e-mail the module renders, in every locale. */
const ALL = LOCALES.flatMap((locale) => [
  { name: `invitation ${locale}`, render: () => renderInvitation('invitation', locale, invitation) },
  { name: `reminder ${locale}`, render: () => renderInvitation('reminder', locale, invitation) },
  { name: `password-reset ${locale}`, render: () => renderPasswordLink('password-reset', locale, password) },
  { name: `password-setup ${locale}`, render: () => renderPasswordLink('password-setup', locale, password) },
  { name: `connect ${locale}`, render: () => renderConnect(locale, connect) },
]);

describe('e-mail templates', () => {
  it('finds its .eta files under apps/notifications/templates', () => {
    expect(TEMPLATES_DIR).toBe(join(__dirname, '..', '..', 'templates'));
    expect(readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.eta')).sort()).toEqual(['connect.eta', 'invitation.eta', 'layout.eta', 'password-link.eta']);
    expect(existsSync(join(TEMPLATES_DIR, 'layout.eta'))).toBe(true);
  });

  it.each(ALL)('$name: a hostile company name is escaped in the HTML (title included), verbatim in the subject and the text', ({ render }) => {
    const { subject, text, html } = render();
    expect(subject).toContain(HOSTILE);
    expect(text).toContain(HOSTILE);
    expect(html).toContain(ESCAPED);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain(HOSTILE);
    // The subject in <title> is escaped too.
    expect(html).toMatch(new RegExp(`<title>[^<]*${ESCAPED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^<]*</title>`));
  });

  it.each(ALL)('$name: one layout: doctype, lang, one button, the link written out, small print', ({ render }) => {
    const { locale, html } = render();
    expect(html.startsWith('<!doctype html>\n')).toBe(true);
    expect(html).toContain(`<html lang="${locale}">`);
    expect(html.trimEnd().endsWith('</body></html>')).toBe(true);
    const escapedLink = link.replace(/&/g, '&amp;');
    expect(html.split(`href="${escapedLink}"`)).toHaveLength(3); // the button and the link written out
    expect(html).toContain(`>${escapedLink}</a></p>`);
    expect(html.match(/<p style="font-size:13px;color:#555">/g)).toHaveLength(2);
  });

  it('escapes the quoted message of a request to connect, and leaves it out when there is none', () => {
    expect(renderConnect('en', connect).html).toContain(`<blockquote>${ESCAPED}</blockquote>`);
    expect(renderConnect('en', connect).text).toContain(`“${HOSTILE}”`);
    for (const message of [null, '']) {
      const { html, text } = renderConnect('en', { ...connect, message });
      expect(html).not.toContain('<blockquote>');
      expect(text).not.toContain('“');
    }
  });

  it('renders the invitation as before, whitespace apart', () => {
    const { locale, subject, text, html } = renderInvitation('invitation', 'pt-PT', { ...invitation, companyName: 'Acme & Filhos' });
    expect(locale).toBe('pt-BR');
    expect(subject).toBe('Bob convidou você para gerenciar Acme & Filhos');
    expect(text).toBe(
      [
        'Olá, Ana,',
        '',
        'Bob criou a conta "Main" para Acme & Filhos e definiu você como proprietário. Defina sua senha para ativá-la. O link funciona até 1 de dezembro de 2026 às 10:30 UTC; depois disso o convite expira e você é removido da conta.',
        '',
        `Ativar a conta: ${link}`,
        '',
        'Se você não esperava este e-mail, pode ignorá-lo.',
        '',
      ].join('\n'),
    );
    const escapedLink = link.replace(/&/g, '&amp;');
    const expected = `<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Bob convidou você para gerenciar Acme &amp; Filhos</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1a1a1a;max-width:560px;margin:0 auto;padding:24px">
<p>Olá, Ana,</p>
<p>Bob criou a conta &quot;Main&quot; para Acme &amp; Filhos e definiu você como proprietário. Defina sua senha para ativá-la. O link funciona até 1 de dezembro de 2026 às 10:30 UTC; depois disso o convite expira e você é removido da conta.</p>
<p><a href="${escapedLink}" style="display:inline-block;background:#1d4ed8;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none">Ativar a conta</a></p>
<p style="font-size:13px;color:#555">Se o botão não funcionar, abra este link:<br><a href="${escapedLink}">${escapedLink}</a></p>
<p style="font-size:13px;color:#555">Se você não esperava este e-mail, pode ignorá-lo.</p>
</body></html>`;
    expect(html.trim()).toBe(expected);
  });

  it('formats the expiry per locale, the same on every render', () => {
    const first = renderInvitation('reminder', 'es', invitation).text;
    renderInvitation('reminder', 'en', invitation);
    expect(renderInvitation('reminder', 'es', invitation).text).toBe(first);
    expect(first).toContain('1 de diciembre de 2026');
    expect(renderConnect('it', connect).text).toContain('1 dicembre 2026');
  });

  it('picks the locale from the language', () => {
    expect(pickLocale('pt-BR')).toBe('pt-BR');
    expect(pickLocale('pt-PT')).toBe('pt-BR');
    expect(pickLocale('es-MX')).toBe('es');
    expect(pickLocale('de')).toBe('en');
  });
});
