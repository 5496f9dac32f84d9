import { useEffect, useRef, useState } from 'preact/hooks';
import type { ClientFormResponse, ClientResponse, Page, ServicePlanResponse } from '@clientele/contracts';
import { ApiError, call } from '../api';
import { SETTING_SWITCHES, SETTING_TEXTS, emptyForm, requiredFields, toCreateBody, type ClientFormState } from '../client-form';
import { mapProblem } from '../problem';
import { navigate, paths } from '../router';
import { useConsole } from '../ui/context';
import { Field, Link, Message, ScreenTitle, Select, Switch, idOf, useErrorText, useFieldMessage } from '../ui/parts';

/** Every field path the form shows, so an API error for it appears beside it. */
function formHasField(field: string): boolean {
  return FIELD_PATTERN.test(field);
}
const FIELD_PATTERN = new RegExp(
  '^(' +
    [
      'accountName', 'companyName', 'type', 'uniqueIdentifier', 'billingEmails(\\.\\d+)?', 'active', 'phone', 'language', 'currency',
      'emergencyContactEmail', 'creditBalance', 'adminNotes', 'address\\.(country|region|city|line1|line2|postalCode)',
      'owner\\.(firstName|lastName|email)', 'invitation\\.(send|sendAt)', 'servicePlans\\.\\d+\\.(planId|units|startDate)', 'servicePlans',
      `settings\\.(${[...SETTING_SWITCHES, ...SETTING_TEXTS].join('|')})`,
    ].join('|') +
    ')$',
);

type Setter = (update: (form: ClientFormState) => ClientFormState) => void;

export function NewClientScreen() {
  const { t, notify } = useConsole();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const [setting, setSetting] = useState<ClientFormResponse | null>(null);
  const [plans, setPlans] = useState<ServicePlanResponse[]>([]);
  const [form, setForm] = useState<ClientFormState>(() => emptyForm());
  /** Whether the user typed anything: the account's defaults, arriving late, then change nothing. */
  const touched = useRef(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // The account's client form: its required fields are marked, its defaults fill the form. Not there (404): nothing more is required.
    call<ClientFormResponse>('GET', '/v1/account/client-form')
      .then(({ data }) => {
        setSetting(data);
        setForm((current) => (touched.current ? current : emptyForm(data.defaults)));
      })
      .catch(() => setSetting(null));
    call<Page<ServicePlanResponse>>('GET', '/v1/service-plans?active=true&limit=200')
      .then(({ data }) => setPlans(data.data))
      .catch(() => setPlans([]));
  }, []);

  const required = requiredFields(setting);
  const update: Setter = (change) => {
    touched.current = true;
    setForm(change);
  };
  const err = (path: string) => (errors[path] ? fieldMessage(errors[path]) : undefined);
  const text = (path: string, label: string, get: (form: ClientFormState) => string, set: (form: ClientFormState, value: string) => ClientFormState, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field path={path} label={label} value={get(form)} onValue={(value) => update((current) => set(current, value))} error={err(path)} required={required.has(path)} {...extra} />
  );

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setOtherErrors([]);
    try {
      const { data } = await call<ClientResponse>('POST', '/v1/clients', { body: toCreateBody(form), idempotent: true });
      notify({ kind: 'success', text: t('form.created', { name: data.accountName }) }, true);
      navigate(paths.client(data.id));
    } catch (caught) {
      setBusy(false);
      if (caught instanceof ApiError && caught.problem.errors?.length) {
        const mapped = mapProblem(caught.problem, formHasField);
        setErrors(mapped.fields);
        setOtherErrors(mapped.other);
        // The first field in error takes the focus, after the summary announced the problem.
        const first = Object.keys(mapped.fields)[0];
        if (first) setTimeout(() => document.getElementById(idOf(first === 'servicePlans' ? 'servicePlans-add' : first))?.focus(), 0);
      } else {
        setOtherErrors([errorText(caught)]);
      }
    }
  };

  const hasErrors = Object.keys(errors).length > 0 || otherErrors.length > 0;
  const planOptions = [{ value: '', label: t('form.choosePlan') }, ...plans.map((plan) => ({ value: plan.id, label: `${plan.name} (${plan.product}, ${plan.unitType})` }))];

  return (
    <section>
      <ScreenTitle>{t('form.title')}</ScreenTitle>
      <p class="note">{t('common.requiredLegend')}</p>
      {hasErrors && (
        <Message kind="error">
          <p>{t('error.checkFields')}</p>
          {otherErrors.length > 0 && (
            <ul>
              {otherErrors.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </Message>
      )}
      <form onSubmit={submit} noValidate class="client-form">
        <fieldset>
          <legend>{t('form.main')}</legend>
          <div class="grid">
            {text('accountName', t('form.accountName'), (f) => f.accountName, (f, v) => ({ ...f, accountName: v }), { maxLength: 120 })}
            {text('companyName', t('form.companyName'), (f) => f.companyName, (f, v) => ({ ...f, companyName: v }), { maxLength: 200 })}
            <Select
              path="type"
              label={t('form.type')}
              value={form.type}
              onValue={(value) => update((f) => ({ ...f, type: value as ClientFormState['type'] }))}
              error={err('type')}
              options={(['customer', 'reseller', 'distributor', 'group'] as const).map((type) => ({ value: type, label: t(`type.${type}`) }))}
            />
            {text('uniqueIdentifier', t('form.uniqueIdentifier'), (f) => f.uniqueIdentifier, (f, v) => ({ ...f, uniqueIdentifier: v }), { hint: t('form.uniqueIdentifierHint'), maxLength: 64 })}
            {text('billingEmails', t('form.billingEmails'), (f) => f.billingEmails, (f, v) => ({ ...f, billingEmails: v }), { hint: t('form.billingEmailsHint'), error: err('billingEmails') ?? firstIndexed(errors, 'billingEmails', fieldMessage) })}
            {text('phone', t('form.phone'), (f) => f.phone, (f, v) => ({ ...f, phone: v }), { type: 'tel', hint: t('form.phoneHint') })}
            {text('language', t('form.language'), (f) => f.language, (f, v) => ({ ...f, language: v }), { hint: t('form.languageHint') })}
            {text('currency', t('form.currency'), (f) => f.currency, (f, v) => ({ ...f, currency: v }), { maxLength: 3 })}
            {text('emergencyContactEmail', t('form.emergencyContactEmail'), (f) => f.emergencyContactEmail, (f, v) => ({ ...f, emergencyContactEmail: v }), { type: 'email' })}
          </div>
          <Switch path="active" label={t('form.active')} checked={form.active} onChange={(value) => update((f) => ({ ...f, active: value }))} error={err('active')} />
        </fieldset>

        <fieldset>
          <legend>{t('form.address')}</legend>
          <div class="grid">
            {text('address.country', t('form.country'), (f) => f.address.country, (f, v) => ({ ...f, address: { ...f.address, country: v } }), { hint: t('form.countryHint'), maxLength: 2, autoComplete: 'country' })}
            {text('address.region', t('form.region'), (f) => f.address.region, (f, v) => ({ ...f, address: { ...f.address, region: v } }), { autoComplete: 'address-level1' })}
            {text('address.city', t('form.city'), (f) => f.address.city, (f, v) => ({ ...f, address: { ...f.address, city: v } }), { autoComplete: 'address-level2' })}
            {text('address.line1', t('form.line1'), (f) => f.address.line1, (f, v) => ({ ...f, address: { ...f.address, line1: v } }), { autoComplete: 'address-line1' })}
            {text('address.line2', t('form.line2'), (f) => f.address.line2, (f, v) => ({ ...f, address: { ...f.address, line2: v } }), { autoComplete: 'address-line2' })}
            {text('address.postalCode', t('form.postalCode'), (f) => f.address.postalCode, (f, v) => ({ ...f, address: { ...f.address, postalCode: v } }), { autoComplete: 'postal-code' })}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('form.owner')}</legend>
          <p class="note">{t('form.ownerNote')}</p>
          <div class="grid">
            {text('owner.firstName', t('form.ownerFirstName'), (f) => f.owner.firstName, (f, v) => ({ ...f, owner: { ...f.owner, firstName: v } }))}
            {text('owner.lastName', t('form.ownerLastName'), (f) => f.owner.lastName, (f, v) => ({ ...f, owner: { ...f.owner, lastName: v } }))}
            {text('owner.email', t('form.ownerEmail'), (f) => f.owner.email, (f, v) => ({ ...f, owner: { ...f.owner, email: v } }), { type: 'email' })}
          </div>
          <InvitationChoice form={form} update={update} error={err('invitation.send')} sendAtError={err('invitation.sendAt')} />
        </fieldset>

        <fieldset>
          <legend>{t('form.plans')}</legend>
          {form.servicePlans.length === 0 && <p class="note">{plans.length ? t('form.plansNone') : t('form.plansEmptyCatalogue')}</p>}
          {err('servicePlans') && <p class="error">{err('servicePlans')}</p>}
          {form.servicePlans.map((row, index) => (
            <div class="plan-row" key={index} role="group" aria-label={t('form.planRow', { n: index + 1 })}>
              <Select
                path={`servicePlans.${index}.planId`}
                label={t('form.plan')}
                value={row.planId}
                onValue={(value) => update((f) => ({ ...f, servicePlans: f.servicePlans.map((r, i) => (i === index ? { ...r, planId: value } : r)) }))}
                options={planOptions}
                error={err(`servicePlans.${index}.planId`)}
                required
              />
              <Field
                path={`servicePlans.${index}.units`}
                label={t('form.units')}
                value={row.units}
                inputMode="numeric"
                onValue={(value) => update((f) => ({ ...f, servicePlans: f.servicePlans.map((r, i) => (i === index ? { ...r, units: value } : r)) }))}
                error={err(`servicePlans.${index}.units`)}
                required
              />
              <Field
                path={`servicePlans.${index}.startDate`}
                label={t('form.startDate')}
                type="date"
                value={row.startDate}
                onValue={(value) => update((f) => ({ ...f, servicePlans: f.servicePlans.map((r, i) => (i === index ? { ...r, startDate: value } : r)) }))}
                error={err(`servicePlans.${index}.startDate`)}
                required
              />
              <button type="button" class="secondary" onClick={() => update((f) => ({ ...f, servicePlans: f.servicePlans.filter((_, i) => i !== index) }))}>
                {t('form.removePlan', { n: index + 1 })}
              </button>
            </div>
          ))}
          {plans.length > 0 && (
            <button
              type="button"
              class="secondary"
              id={idOf('servicePlans-add')}
              onClick={() => update((f) => ({ ...f, servicePlans: [...f.servicePlans, { planId: '', units: '1', startDate: new Date().toISOString().slice(0, 10) }] }))}
            >
              {t('form.addPlan')}
            </button>
          )}
        </fieldset>

        <fieldset>
          <legend>{t('form.billing')}</legend>
          <div class="switches">
            {SETTING_SWITCHES.map((key) => (
              <Switch
                key={key}
                path={`settings.${key}`}
                label={t(`setting.${key}`)}
                checked={form.settings[key]}
                onChange={(value) => update((f) => ({ ...f, settings: { ...f.settings, [key]: value } }))}
                error={err(`settings.${key}`)}
              />
            ))}
          </div>
          <div class="grid">
            {SETTING_TEXTS.map((key) =>
              text(`settings.${key}`, t(`setting.${key}`), (f) => f.settings[key], (f, v) => ({ ...f, settings: { ...f.settings, [key]: v } })),
            )}
            {text('creditBalance', t('form.creditBalance'), (f) => f.creditBalance, (f, v) => ({ ...f, creditBalance: v }), { inputMode: 'decimal' })}
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('form.notes')}</legend>
          {text('adminNotes', t('form.adminNotes'), (f) => f.adminNotes, (f, v) => ({ ...f, adminNotes: v }), { multiline: true, hint: t('form.adminNotesHint'), maxLength: 10000 })}
        </fieldset>

        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('form.submitting') : t('form.submit')}
          </button>
          <Link href={paths.clients} class="button secondary">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
    </section>
  );
}

function InvitationChoice({ form, update, error, sendAtError }: { form: ClientFormState; update: Setter; error?: string; sendAtError?: string }) {
  const { t } = useConsole();
  const choices = [
    ['now', t('form.sendNow')],
    ['scheduled', t('form.sendScheduled')],
    ['none', t('form.sendNone')],
  ] as const;
  return (
    <fieldset class="choice" aria-describedby="invitation-hint">
      <legend>{t('form.send')}</legend>
      <p class="hint" id="invitation-hint">
        {t('form.sendHint')}
      </p>
      <div class="radios">
        {choices.map(([value, label]) => (
          <label key={value} class="radio">
            <input
              type="radio"
              name="invitation.send"
              value={value}
              checked={form.invitation.send === value}
              onChange={() => update((f) => ({ ...f, invitation: { ...f.invitation, send: value } }))}
            />
            {label}
          </label>
        ))}
      </div>
      {error && <p class="error">{error}</p>}
      {form.invitation.send === 'scheduled' && (
        <Field
          path="invitation.sendAt"
          label={t('form.sendAt')}
          type="datetime-local"
          value={form.invitation.sendAt}
          onValue={(value) => update((f) => ({ ...f, invitation: { ...f.invitation, sendAt: value } }))}
          error={sendAtError}
          required
        />
      )}
    </fieldset>
  );
}

/** `billingEmails.2` → shown on the billing e-mails field. */
function firstIndexed(errors: Record<string, string>, base: string, message: (text: string) => string): string | undefined {
  const key = Object.keys(errors).find((field) => field.startsWith(`${base}.`));
  return key ? message(errors[key]) : undefined;
}

