import { useState } from 'preact/hooks';
import { ApiError, call } from '../api';
import { detailsOf, toPatch, type ClientDetails, type DetailsState } from '../client-form';
import { mapProblem } from '../problem';
import { useConsole } from './context';
import { Field, Message, useErrorText, useFieldMessage } from './parts';

const EDITABLE = /^(accountName|companyName|uniqueIdentifier|billingEmails(\.\d+)?|phone|language|currency|emergencyContactEmail|adminNotes|address\.(country|region|city|line1|line2|postalCode))$/;

interface Props<T extends ClientDetails> {
  resource: T;
  etag: string | null;
  /** `/v1/clients/{id}` or `/v1/account`. */
  patchPath: string;
  withAdminNotes: boolean;
  required: Set<string>;
  onSaved(resource: T, etag: string | null): void;
  onCancel(): void;
  /** Reads the resource again after a conflict; the form is then built from what is there now. */
  onReload(): void;
}

/**
 * The details of a client (or of the own account) as a form. Saving sends
 * only what changed, with If-Match: when someone else changed it meanwhile the
 * API answers 412 and the form says so, keeps what was typed, and offers to
 * reload.
 */
export function DetailsEditor<T extends ClientDetails>(props: Props<T>) {
  const { t } = useConsole();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const before = detailsOf(props.resource);
  const [form, setForm] = useState<DetailsState>(before);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [other, setOther] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    const patch = toPatch(before, form);
    if (!Object.keys(patch).length) return props.onCancel();
    setBusy(true);
    setErrors({});
    setOther([]);
    setConflict(false);
    try {
      const { data, etag } = await call<T>('PATCH', props.patchPath, { body: patch, ifMatch: props.etag ?? undefined });
      props.onSaved(data, etag);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 412) setConflict(true);
      else if (caught instanceof ApiError && caught.problem.errors?.length) {
        const mapped = mapProblem(caught.problem, (field) => EDITABLE.test(field));
        setErrors(mapped.fields);
        setOther(mapped.other);
      } else setOther([errorText(caught)]);
    } finally {
      setBusy(false);
    }
  };

  const err = (path: string) => {
    const key = errors[path] ? path : Object.keys(errors).find((field) => field.startsWith(`${path}.`));
    return key ? fieldMessage(errors[key]) : undefined;
  };
  const field = (path: string, label: string, get: (f: DetailsState) => string, set: (f: DetailsState, v: string) => DetailsState, extra: { type?: 'text' | 'tel' | 'email'; hint?: string; multiline?: boolean } = {}) => (
    <Field path={`edit.${path}`} label={label} value={get(form)} onValue={(value) => setForm((f) => set(f, value))} error={err(path)} required={props.required.has(path)} {...extra} />
  );

  return (
    <form onSubmit={save} noValidate class="details-form">
      {conflict && (
        <Message kind="error">
          <p>{t('client.conflict')}</p>
          <button type="button" onClick={props.onReload}>
            {t('client.reload')}
          </button>
        </Message>
      )}
      {(other.length > 0 || Object.keys(errors).length > 0) && (
        <Message kind="error">
          <p>{t('error.checkFields')}</p>
          {other.length > 0 && (
            <ul>
              {other.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </Message>
      )}
      <div class="grid">
        {field('accountName', t('form.accountName'), (f) => f.accountName, (f, v) => ({ ...f, accountName: v }))}
        {field('companyName', t('form.companyName'), (f) => f.companyName, (f, v) => ({ ...f, companyName: v }))}
        {field('uniqueIdentifier', t('form.uniqueIdentifier'), (f) => f.uniqueIdentifier, (f, v) => ({ ...f, uniqueIdentifier: v }))}
        {field('billingEmails', t('form.billingEmails'), (f) => f.billingEmails, (f, v) => ({ ...f, billingEmails: v }), { hint: t('form.billingEmailsHint') })}
        {field('phone', t('form.phone'), (f) => f.phone, (f, v) => ({ ...f, phone: v }), { type: 'tel', hint: t('form.phoneHint') })}
        {field('language', t('form.language'), (f) => f.language, (f, v) => ({ ...f, language: v }))}
        {field('currency', t('form.currency'), (f) => f.currency, (f, v) => ({ ...f, currency: v }))}
        {field('emergencyContactEmail', t('form.emergencyContactEmail'), (f) => f.emergencyContactEmail, (f, v) => ({ ...f, emergencyContactEmail: v }), { type: 'email' })}
        {field('address.country', t('form.country'), (f) => f.address.country, (f, v) => ({ ...f, address: { ...f.address, country: v } }), { hint: t('form.countryHint') })}
        {field('address.region', t('form.region'), (f) => f.address.region, (f, v) => ({ ...f, address: { ...f.address, region: v } }))}
        {field('address.city', t('form.city'), (f) => f.address.city, (f, v) => ({ ...f, address: { ...f.address, city: v } }))}
        {field('address.line1', t('form.line1'), (f) => f.address.line1, (f, v) => ({ ...f, address: { ...f.address, line1: v } }))}
        {field('address.line2', t('form.line2'), (f) => f.address.line2, (f, v) => ({ ...f, address: { ...f.address, line2: v } }))}
        {field('address.postalCode', t('form.postalCode'), (f) => f.address.postalCode, (f, v) => ({ ...f, address: { ...f.address, postalCode: v } }))}
      </div>
      {props.withAdminNotes &&
        field('adminNotes', t('form.adminNotes'), (f) => f.adminNotes, (f, v) => ({ ...f, adminNotes: v }), { multiline: true, hint: t('form.adminNotesHint') })}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('client.saveChanges')}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The details as a description list. */
export function DetailsView({ resource, withAdminNotes }: { resource: ClientDetails; withAdminNotes: boolean }) {
  const { t } = useConsole();
  const none = t('common.none');
  const address = resource.address;
  const rows: [string, string][] = [
    [t('form.companyName'), resource.companyName],
    [t('form.uniqueIdentifier'), resource.uniqueIdentifier ?? none],
    [t('form.billingEmails'), resource.billingEmails.join(', ') || none],
    [t('form.phone'), resource.phone ?? none],
    [t('form.language'), resource.language],
    [t('form.currency'), resource.currency],
    [t('form.emergencyContactEmail'), resource.emergencyContactEmail ?? none],
    [t('form.address'), [address.line1, address.line2, [address.postalCode, address.city].filter(Boolean).join(' '), address.region, address.country].filter(Boolean).join(', ')],
  ];
  if (withAdminNotes) rows.push([t('form.adminNotes'), resource.adminNotes || none]);
  return (
    <dl class="details">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
