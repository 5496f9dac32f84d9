import { en, type MessageKey, type Messages } from './en';
import { es } from './es';
import { it } from './it';
import { ptBR } from './pt-BR';

/** The console's languages: the same four as the e-mails. */
export const LANGUAGES = ['en', 'es', 'pt-BR', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CATALOGUES: Record<Language, Messages> = { en, es, 'pt-BR': ptBR, it };
/** Each language by its own name, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español', 'pt-BR': 'Português (Brasil)', it: 'Italiano' };

export const LANGUAGE_STORAGE_KEY = 'clientele.console.language';

/**
 * The language to show: the one chosen with the switch, else the first of the
 * browser's languages that the console speaks (`es-MX` → es, `pt-PT` →
 * pt-BR), else English.
 */
export function pickLanguage(browser: readonly string[], chosen: string | null): Language {
  if (chosen && (LANGUAGES as readonly string[]).includes(chosen)) return chosen as Language;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'pt') return 'pt-BR';
    const found = LANGUAGES.find((language) => language.toLowerCase() === base);
    if (found) return found;
  }
  return 'en';
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** A translator for one language: `{name}` in a text is replaced by `values.name`. */
export function translator(language: Language): Translate {
  const messages = CATALOGUES[language];
  return (key, values) => {
    const text = messages[key] ?? en[key];
    return values ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole)) : text;
  };
}

export type { MessageKey };
