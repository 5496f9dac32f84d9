import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Eta } from 'eta';

/**
 * Localized e-mail content (en, es, pt-BR, it), HTML and plain text. The
 * subject names the inviting company: generic subjects land in spam.
 *
 * The strings live here as data; the HTML lives in `apps/notifications/templates/*.eta`
 * (Eta, ADR 20): one layout, and one small template per e-mail that fills it.
 * Eta escapes every `<%= %>`, so nothing here escapes by hand.
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

/**
 * `apps/notifications/templates` under the project root. tsc does not copy it
 * into dist/, so it is looked for above this file: the same folder serves the
 * sources (Jest, ts-node) and the compiled tree (`scripts/service.js`, the
 * Docker image, which copies it beside dist/).
 */
export const TEMPLATES_DIR = findTemplates(__dirname);

function findTemplates(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'notifications', 'templates');
    if (existsSync(join(candidate, 'layout.eta'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`apps/notifications/templates not found in any folder above ${from}`);
  }
}

/**
 * Every `<name>.eta` compiled once, as the module loads, under the name
 * `@<name>`: a render reads no file and resolves no path, and a template that
 * does not compile stops the service at start, not at its first e-mail.
 */
const eta = new Eta({ autoEscape: true });
for (const file of readdirSync(TEMPLATES_DIR)) {
  if (file.endsWith('.eta')) eta.loadTemplate(`@${file.slice(0, -'.eta'.length)}`, readFileSync(join(TEMPLATES_DIR, file), 'utf8'));
}

/** What `layout.eta` takes, besides the e-mail's own template (`body`). */
interface Layout {
  locale: string;
  subject: string;
  link: string;
  action: string;
  /** The line before the link written out (the invitation has one). */
  fallback?: string;
  smallPrint: string;
  /** The viewport `<meta>` (the invitation has one). */
  viewport?: boolean;
}

/**
 * The e-mail's own template, then `layout.eta` around it. Composed here rather
 * than with Eta's `layout()` inside the template: the same HTML, about 0.7 µs
 * a render where `layout()` measured 3.4 µs (ADR 20).
 */
function renderHtml<T extends Layout>(template: '@invitation' | '@password-link' | '@connect', data: T): string {
  return eta.render('@layout', { ...data, body: eta.render(template, data) });
}

/** One formatter per locale and style: building an `Intl.DateTimeFormat` costs far more than the rest of a render. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatDate(locale: string, date: Date, withTime: boolean): string {
  const key = `${locale}|${withTime}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, withTime ? { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' } : { dateStyle: 'long', timeZone: 'UTC' });
    formatters.set(key, format);
  }
  return format.format(date);
}

export function renderInvitation(kind: TemplateKind, language: string, message: InvitationMessage) {
  const locale = pickLocale(language);
  const t = STRINGS[locale][kind];
  const expires = formatDate(locale, message.expiresAt, true) + ' UTC';
  const subject = t.subject(message);
  const greeting = t.greeting(message);
  const body = t.body(message, expires);
  const text = [greeting, '', body, '', `${t.action}: ${message.link}`, '', t.ignore, ''].join('\n');
  const html = renderHtml('@invitation', {
    locale, subject, greeting, body, link: message.link, action: t.action, fallback: t.fallback, smallPrint: t.ignore, viewport: true,
  });
  return { locale, subject, text, html };
}

export type PasswordKind = 'password-reset' | 'password-setup';

export interface PasswordMessage {
  firstName: string;
  companyName: string;
  link: string;
  expiresAt: Date;
}

const PASSWORD_STRINGS: Record<string, Record<PasswordKind, { subject: (m: PasswordMessage) => string; body: string; action: string; ignore: string }>> = {
  en: {
    'password-reset': { subject: (m) => `Reset your password for ${m.companyName}`, body: 'Someone asked to reset your password. The link works once, for one hour.', action: 'Choose a new password', ignore: 'If it was not you, ignore this e-mail: your password stays as it is.' },
    'password-setup': { subject: (m) => `Choose your own password for ${m.companyName}`, body: 'Your account was created with a password chosen for you. Choose your own now; the link works once, for one hour.', action: 'Choose my password', ignore: 'You can also ask for a new link from the sign-in page later.' },
  },
  es: {
    'password-reset': { subject: (m) => `Restablece tu contraseña de ${m.companyName}`, body: 'Alguien ha pedido restablecer tu contraseña. El enlace funciona una vez, durante una hora.', action: 'Elegir una contraseña nueva', ignore: 'Si no has sido tú, ignora este correo: tu contraseña no cambia.' },
    'password-setup': { subject: (m) => `Elige tu propia contraseña de ${m.companyName}`, body: 'Tu cuenta se creó con una contraseña elegida por otra persona. Elige la tuya ahora; el enlace funciona una vez, durante una hora.', action: 'Elegir mi contraseña', ignore: 'También puedes pedir un enlace nuevo más tarde desde la página de acceso.' },
  },
  'pt-BR': {
    'password-reset': { subject: (m) => `Redefina sua senha de ${m.companyName}`, body: 'Alguém pediu para redefinir sua senha. O link funciona uma vez, por uma hora.', action: 'Escolher uma nova senha', ignore: 'Se não foi você, ignore este e-mail: sua senha continua a mesma.' },
    'password-setup': { subject: (m) => `Escolha sua própria senha de ${m.companyName}`, body: 'Sua conta foi criada com uma senha escolhida por outra pessoa. Escolha a sua agora; o link funciona uma vez, por uma hora.', action: 'Escolher minha senha', ignore: 'Você também pode pedir um novo link depois, na página de acesso.' },
  },
  it: {
    'password-reset': { subject: (m) => `Reimposta la password di ${m.companyName}`, body: 'Qualcuno ha chiesto di reimpostare la tua password. Il link funziona una volta, per un\'ora.', action: 'Scegli una nuova password', ignore: 'Se non sei stato tu, ignora questa e-mail: la password resta invariata.' },
    'password-setup': { subject: (m) => `Scegli la tua password per ${m.companyName}`, body: 'Il tuo account è stato creato con una password scelta da altri. Scegli la tua ora; il link funziona una volta, per un\'ora.', action: 'Scegli la mia password', ignore: 'Puoi anche chiedere un nuovo link più tardi dalla pagina di accesso.' },
  },
};

const GREETING: Record<string, (name: string) => string> = {
  en: (n) => `Hello ${n},`, es: (n) => `Hola, ${n}:`, 'pt-BR': (n) => `Olá, ${n},`, it: (n) => `Ciao ${n},`,
};

export function renderPasswordLink(kind: PasswordKind, language: string, message: PasswordMessage) {
  const locale = pickLocale(language);
  const t = PASSWORD_STRINGS[locale][kind];
  const subject = t.subject(message);
  const greeting = GREETING[locale](message.firstName);
  const text = [greeting, '', t.body, '', `${t.action}: ${message.link}`, '', t.ignore, ''].join('\n');
  const html = renderHtml('@password-link', {
    locale, subject, greeting, body: t.body, link: message.link, action: t.action, smallPrint: t.ignore,
  });
  return { locale, subject, text, html };
}

export interface ConnectMessage {
  fromCompany: string;
  message: string | null;
  link: string;
  expiresAt: Date;
}

const CONNECT_STRINGS: Record<string, { subject: (m: ConnectMessage) => string; body: (m: ConnectMessage, expires: string) => string; action: string; note: string }> = {
  en: { subject: (m) => `${m.fromCompany} invites your company to connect`, body: (m, x) => `${m.fromCompany} would like to become your reseller: accepting lets them manage your account and subscriptions. The invitation is open until ${x}.`, action: 'Review the invitation', note: 'Sign in as an admin of your account to accept or decline.' },
  es: { subject: (m) => `${m.fromCompany} invita a tu empresa a conectarse`, body: (m, x) => `${m.fromCompany} quiere ser tu revendedor: si aceptas, podrá gestionar tu cuenta y tus suscripciones. La invitación está abierta hasta el ${x}.`, action: 'Ver la invitación', note: 'Inicia sesión como administrador de tu cuenta para aceptar o rechazar.' },
  'pt-BR': { subject: (m) => `${m.fromCompany} convida sua empresa para se conectar`, body: (m, x) => `${m.fromCompany} quer ser seu revendedor: ao aceitar, poderá gerenciar sua conta e suas assinaturas. O convite fica aberto até ${x}.`, action: 'Ver o convite', note: 'Entre como administrador da sua conta para aceitar ou recusar.' },
  it: { subject: (m) => `${m.fromCompany} invita la tua azienda a collegarsi`, body: (m, x) => `${m.fromCompany} vorrebbe diventare il tuo rivenditore: accettando potrà gestire il tuo account e i tuoi abbonamenti. L'invito è aperto fino al ${x}.`, action: "Vedi l'invito", note: "Accedi come amministratore del tuo account per accettare o rifiutare." },
};

export function renderConnect(language: string, message: ConnectMessage) {
  const locale = pickLocale(language);
  const t = CONNECT_STRINGS[locale];
  const expires = formatDate(locale, message.expiresAt, false);
  const subject = t.subject(message);
  const body = t.body(message, expires);
  const quote = message.message ? [`“${message.message}”`, ''] : [];
  const text = [body, '', ...quote, `${t.action}: ${message.link}`, '', t.note, ''].join('\n');
  const html = renderHtml('@connect', {
    locale, subject, body, quote: message.message || null, link: message.link, action: t.action, smallPrint: t.note,
  });
  return { locale, subject, text, html };
}
