/**
 * Localized e-mail content (en, es, pt-BR, it), HTML and plain text. The
 * subject names the inviting company: generic subjects land in spam.
 */
export type TemplateKind = 'invitation' | 'reminder';

export interface InvitationMessage {
  firstName: string;
  companyName: string;
  accountName: string;
  inviter: string;
  link: string;
  expiresAt: Date;
}

interface Strings {
  subject: (m: InvitationMessage) => string;
  greeting: (m: InvitationMessage) => string;
  body: (m: InvitationMessage, expires: string) => string;
  action: string;
  fallback: string;
  ignore: string;
}

const STRINGS: Record<string, Record<TemplateKind, Strings>> = {
  en: {
    invitation: {
      subject: (m) => `${m.inviter} invited you to manage ${m.companyName}`,
      greeting: (m) => `Hello ${m.firstName},`,
      body: (m, expires) => `${m.inviter} created the account "${m.accountName}" for ${m.companyName} and made you its owner. Set your password to activate it. The link works until ${expires}; after that the invitation expires and you are removed from the account.`,
      action: 'Activate the account',
      fallback: 'If the button does not work, open this link:',
      ignore: 'If you did not expect this e-mail, you can ignore it.',
    },
    reminder: {
      subject: (m) => `Reminder: ${m.inviter} is waiting for you to activate ${m.companyName}`,
      greeting: (m) => `Hello ${m.firstName},`,
      body: (m, expires) => `Your invitation to the account "${m.accountName}" of ${m.companyName} expires on ${expires}. Set your password before then to keep access.`,
      action: 'Activate the account',
      fallback: 'If the button does not work, open this link:',
      ignore: 'If you did not expect this e-mail, you can ignore it.',
    },
  },
  es: {
    invitation: {
      subject: (m) => `${m.inviter} te ha invitado a gestionar ${m.companyName}`,
      greeting: (m) => `Hola, ${m.firstName}:`,
      body: (m, expires) => `${m.inviter} ha creado la cuenta «${m.accountName}» para ${m.companyName} y te ha nombrado propietario. Define tu contraseña para activarla. El enlace funciona hasta el ${expires}; después la invitación caduca y se te retira de la cuenta.`,
      action: 'Activar la cuenta',
      fallback: 'Si el botón no funciona, abre este enlace:',
      ignore: 'Si no esperabas este correo, puedes ignorarlo.',
    },
    reminder: {
      subject: (m) => `Recordatorio: ${m.inviter} espera que actives ${m.companyName}`,
      greeting: (m) => `Hola, ${m.firstName}:`,
      body: (m, expires) => `Tu invitación a la cuenta «${m.accountName}» de ${m.companyName} caduca el ${expires}. Define tu contraseña antes para conservar el acceso.`,
      action: 'Activar la cuenta',
      fallback: 'Si el botón no funciona, abre este enlace:',
      ignore: 'Si no esperabas este correo, puedes ignorarlo.',
    },
  },
  'pt-BR': {
    invitation: {
      subject: (m) => `${m.inviter} convidou você para gerenciar ${m.companyName}`,
      greeting: (m) => `Olá, ${m.firstName},`,
      body: (m, expires) => `${m.inviter} criou a conta "${m.accountName}" para ${m.companyName} e definiu você como proprietário. Defina sua senha para ativá-la. O link funciona até ${expires}; depois disso o convite expira e você é removido da conta.`,
      action: 'Ativar a conta',
      fallback: 'Se o botão não funcionar, abra este link:',
      ignore: 'Se você não esperava este e-mail, pode ignorá-lo.',
    },
    reminder: {
      subject: (m) => `Lembrete: ${m.inviter} aguarda a ativação de ${m.companyName}`,
      greeting: (m) => `Olá, ${m.firstName},`,
      body: (m, expires) => `Seu convite para a conta "${m.accountName}" de ${m.companyName} expira em ${expires}. Defina sua senha antes disso para manter o acesso.`,
      action: 'Ativar a conta',
      fallback: 'Se o botão não funcionar, abra este link:',
      ignore: 'Se você não esperava este e-mail, pode ignorá-lo.',
    },
  },
  it: {
    invitation: {
      subject: (m) => `${m.inviter} ti ha invitato a gestire ${m.companyName}`,
      greeting: (m) => `Ciao ${m.firstName},`,
      body: (m, expires) => `${m.inviter} ha creato l'account «${m.accountName}» per ${m.companyName} e ti ha nominato proprietario. Imposta la tua password per attivarlo. Il link è valido fino al ${expires}; dopo l'invito scade e vieni rimosso dall'account.`,
      action: "Attiva l'account",
      fallback: 'Se il pulsante non funziona, apri questo link:',
      ignore: 'Se non ti aspettavi questa e-mail, puoi ignorarla.',
    },
    reminder: {
      subject: (m) => `Promemoria: ${m.inviter} attende che tu attivi ${m.companyName}`,
      greeting: (m) => `Ciao ${m.firstName},`,
      body: (m, expires) => `Il tuo invito all'account «${m.accountName}» di ${m.companyName} scade il ${expires}. Imposta la password prima di allora per mantenere l'accesso.`,
      action: "Attiva l'account",
      fallback: 'Se il pulsante non funziona, apri questo link:',
      ignore: 'Se non ti aspettavi questa e-mail, puoi ignorarla.',
    },
  },
};

export const LOCALES = Object.keys(STRINGS);

/** `pt-BR` → pt-BR; `pt-PT` → pt-BR (same language); `es-MX` → es; anything else → en. */
export function pickLocale(language: string): string {
  if (STRINGS[language]) return language;
  const base = language.split('-')[0].toLowerCase();
  return LOCALES.find((l) => l.split('-')[0] === base) ?? 'en';
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderInvitation(kind: TemplateKind, language: string, message: InvitationMessage) {
  const locale = pickLocale(language);
  const t = STRINGS[locale][kind];
  const expires = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(message.expiresAt) + ' UTC';
  const subject = t.subject(message);
  const text = [t.greeting(message), '', t.body(message, expires), '', `${t.action}: ${message.link}`, '', t.ignore, ''].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(subject)}</title></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1a1a1a;max-width:560px;margin:0 auto;padding:24px">
<p>${e(t.greeting(message))}</p>
<p>${e(t.body(message, expires))}</p>
<p><a href="${e(message.link)}" style="display:inline-block;background:#1d4ed8;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none">${e(t.action)}</a></p>
<p style="font-size:13px;color:#555">${e(t.fallback)}<br><a href="${e(message.link)}">${e(message.link)}</a></p>
<p style="font-size:13px;color:#555">${e(t.ignore)}</p>
</body></html>`;
  return { locale, subject, text, html };
}
