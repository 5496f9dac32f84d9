import { en } from './en';
import { CATALOGUES, LANGUAGES, pickLanguage, translator } from './i18n';

describe('the console in four languages', () => {
  const keys = Object.keys(en).sort();

  it.each(LANGUAGES)('%s has every text, and no other', (language) => {
    const catalogue = CATALOGUES[language];
    expect(Object.keys(catalogue).sort()).toEqual(keys);
    for (const key of keys) expect(catalogue[key as keyof typeof en].trim()).not.toBe('');
  });

  it.each(LANGUAGES)('%s keeps every {placeholder} of the English text', (language) => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of keys) expect([key, placeholders(CATALOGUES[language][key as keyof typeof en])]).toEqual([key, placeholders(en[key as keyof typeof en])]);
  });

  it("picks the switch's choice, else the browser's first language it speaks, else English", () => {
    expect(pickLanguage(['fr-FR', 'es-MX', 'en'], null)).toBe('es');
    expect(pickLanguage(['pt-PT'], null)).toBe('pt-BR');
    expect(pickLanguage(['it'], null)).toBe('it');
    expect(pickLanguage(['de-DE', 'fr'], null)).toBe('en');
    expect(pickLanguage(['es-ES'], 'it')).toBe('it');
    expect(pickLanguage(['es-ES'], 'klingon')).toBe('es');
  });

  it('fills the placeholders', () => {
    expect(translator('es')('clients.browsing', { name: 'Acme' })).toBe('Clientes de Acme');
    expect(translator('en')('common.page', { n: 2 })).toBe('Page 2');
  });
});
