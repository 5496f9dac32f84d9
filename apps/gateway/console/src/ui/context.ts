import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Language, Translate } from '../i18n/i18n';

export interface Notice {
  kind: 'success' | 'error';
  text: string;
}

export interface ConsoleContext {
  t: Translate;
  language: Language;
  /** Shows a message on this screen; with `carry`, on the screen the console moves to next (a create's message on the client's page). */
  notify(notice: Notice, carry?: boolean): void;
}

export const Console = createContext<ConsoleContext>({
  t: (key) => key,
  language: 'en',
  notify: () => undefined,
});

export const useConsole = (): ConsoleContext => useContext(Console);
