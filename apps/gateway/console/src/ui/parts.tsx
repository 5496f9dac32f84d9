import type { AnchorHTMLAttributes, ComponentChildren, InputHTMLAttributes } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../api';
import type { MessageKey } from '../i18n/i18n';
import { navigate } from '../router';
import { useConsole } from './context';

/** An in-console link: the history API, no page load (a new tab or window still works as a link does). */
export function Link({ href, children, ...rest }: { href: string; children: ComponentChildren } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}

/** A screen's heading; it takes the focus when the screen opens, so a screen reader announces where the user is. */
export function ScreenTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function idOf(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

interface FieldProps {
  path: string;
  label: string;
  value: string;
  onValue(value: string): void;
  error?: string;
  required?: boolean;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'tel' | 'date' | 'datetime-local' | 'search';
  autoComplete?: string;
  inputMode?: InputHTMLAttributes<HTMLInputElement>['inputMode'];
  maxLength?: number;
  multiline?: boolean;
  disabled?: boolean;
}

/**
 * A labelled input with its hint and its error, both tied to it with
 * aria-describedby; a required field has aria-required and a visible mark
 * beside its label (hidden from screen readers, which announce aria-required;
 * outside the label, so the field's name is the label's text alone).
 */
export function Field(props: FieldProps) {
  const id = idOf(props.path);
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: props.path,
    value: props.value,
    'aria-describedby': described,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-required': props.required ? ('true' as const) : undefined,
    disabled: props.disabled,
    maxLength: props.maxLength,
    onInput: (event: Event) => props.onValue((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <div class="label-row">
        <label for={id}>{props.label}</label>
        {props.required && <RequiredMark />}
      </div>
      {props.multiline ? (
        <textarea {...common} rows={4} />
      ) : (
        <input {...({ ...common, type: props.type ?? 'text', autoComplete: props.autoComplete ?? 'off', inputMode: props.inputMode } as InputHTMLAttributes<HTMLInputElement>)} />
      )}
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

export function RequiredMark() {
  const { t } = useConsole();
  return (
    <span class="required-mark" aria-hidden="true" title={t('common.required')}>
      {' *'}
    </span>
  );
}

interface SelectProps {
  path: string;
  label: string;
  value: string;
  onValue(value: string): void;
  options: { value: string; label: string }[];
  error?: string;
  required?: boolean;
  disabled?: boolean;
}

export function Select(props: SelectProps) {
  const id = idOf(props.path);
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <div class="label-row">
        <label for={id}>{props.label}</label>
        {props.required && <RequiredMark />}
      </div>
      <select
        id={id}
        name={props.path}
        value={props.value}
        disabled={props.disabled}
        aria-describedby={props.error ? `${id}-error` : undefined}
        aria-invalid={props.error ? 'true' : undefined}
        aria-required={props.required ? 'true' : undefined}
        onChange={(event) => props.onValue((event.currentTarget as HTMLSelectElement).value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {props.error && (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

export function Switch({ path, label, checked, onChange, error, disabled }: { path: string; label: string; checked: boolean; onChange(value: boolean): void; error?: string; disabled?: boolean }) {
  const id = idOf(path);
  return (
    <div class="switch">
      <input
        type="checkbox"
        role="switch"
        id={id}
        name={path}
        checked={checked}
        disabled={disabled}
        aria-describedby={error ? `${id}-error` : undefined}
        aria-invalid={error ? 'true' : undefined}
        onChange={(event) => onChange((event.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>{label}</label>
      {error && (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A message for the user: errors interrupt (role=alert), confirmations wait their turn (role=status). */
export function Message({ kind, children }: { kind: 'success' | 'error' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`message ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** The words for an API error that is not about one field. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useConsole();
  return (error) => {
    if (!(error instanceof ApiError)) return t('error.generic', { detail: String(error) });
    if (error.status === 0) return t('error.network');
    if (error.status === 404) return t('error.notFound');
    if (error.status === 429) return t('error.rateLimited');
    if (error.status === 403) return t('error.forbidden');
    return t('error.generic', { detail: error.problem.detail ?? error.problem.title ?? String(error.status) });
  };
}

/** The API's message for a field, in the user's language where the console knows the words. */
export function useFieldMessage(): (message: string) => string {
  const { t } = useConsole();
  return (message) => {
    if (message.endsWith("is required by your account's settings")) return t('error.requiredBySettings');
    if (/ is required$/.test(message) || / should not be empty$/.test(message)) return t('error.required');
    return message;
  };
}

/**
 * A confirmation in a modal dialog (the browser's own <dialog>: it traps the
 * focus, Escape closes it and the focus goes back where it was).
 */
export function ConfirmDialog(props: { open: boolean; title: string; text: string; confirm: string; onConfirm(): void; onClose(): void; busy?: boolean }) {
  const { t } = useConsole();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" aria-describedby="confirm-text" onClose={props.onClose}>
      <h2 id="confirm-title">{props.title}</h2>
      <p id="confirm-text">{props.text}</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onClose} autoFocus>
          {t('common.cancel')}
        </button>
        <button type="button" class="danger" onClick={props.onConfirm} disabled={props.busy}>
          {props.confirm}
        </button>
      </div>
    </dialog>
  );
}

/** A date and time in the user's language. */
export function useDates(): { dateTime(iso: string | null | undefined): string; date(iso: string | null | undefined): string } {
  const { language, t } = useConsole();
  return {
    dateTime: (iso) => (iso ? new Date(iso).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' }) : t('common.none')),
    date: (iso) => (iso ? new Date(`${iso.slice(0, 10)}T00:00:00`).toLocaleDateString(language, { dateStyle: 'medium' }) : t('common.none')),
  };
}

export type { MessageKey };
