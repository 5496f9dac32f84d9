import { useEffect, useState } from 'preact/hooks';
import type { ClientFormResponse, ClientResponse, EmailLogEntry, LicenseResponse, Page, ServicePlanResponse } from '@clientele/contracts';
import { ApiError, call } from '../api';
import { requiredFields } from '../client-form';
import { navigate, paths } from '../router';
import { useConsole } from '../ui/context';
import { DetailsEditor, DetailsView } from '../ui/details-editor';
import { ConfirmDialog, Field, Message, ScreenTitle, Select, useDates, useErrorText, useFieldMessage } from '../ui/parts';

interface Loaded {
  client: ClientResponse;
  etag: string | null;
}

export function ClientScreen({ id }: { id: string }) {
  const { t, notify } = useConsole();
  const errorText = useErrorText();
  const { dateTime } = useDates();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [editorKey, setEditorKey] = useState(0);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [busy, setBusy] = useState(false);
  const [required, setRequired] = useState<Set<string>>(requiredFields(null));
  const path = `/v1/clients/${encodeURIComponent(id)}`;

  const load = () =>
    call<ClientResponse>('GET', path)
      .then(({ data, etag }) => setLoaded({ client: data, etag }))
      .catch((caught) => setLoadError(errorText(caught)));

  useEffect(() => {
    void load();
    call<ClientFormResponse>('GET', '/v1/account/client-form')
      .then(({ data }) => setRequired(requiredFields(data)))
      .catch(() => undefined);
  }, [id]);

  if (loadError) return <Message kind="error">{loadError}</Message>;
  if (!loaded) return <p role="status">{t('common.loading')}</p>;
  const { client } = loaded;

  /** An action that answers the client; the page shows what it answered. */
  const act = async (method: string, suffix: string, success: string, options: { idempotent?: boolean } = {}) => {
    setBusy(true);
    try {
      const { data, etag } = await call<ClientResponse>(method, `${path}${suffix}`, options);
      if (data) setLoaded({ client: data, etag });
      else await load();
      notify({ kind: 'success', text: success });
    } catch (caught) {
      notify({ kind: 'error', text: errorText(caught) });
    } finally {
      setBusy(false);
    }
  };

  const endRelationship = async () => {
    setBusy(true);
    try {
      await call('DELETE', `${path}/relationship`);
      setConfirmEnd(false);
      notify({ kind: 'success', text: t('client.ended', { name: client.accountName }) }, true);
      navigate(paths.clients);
    } catch (caught) {
      setConfirmEnd(false);
      setBusy(false);
      notify({ kind: 'error', text: errorText(caught) });
    }
  };

  const withAdminNotes = client.adminNotes !== undefined;

  return (
    <article>
      <div class="screen-head">
        <div>
          <ScreenTitle>{client.accountName}</ScreenTitle>
          <p class="subtitle">
            {client.companyName} · {t(`type.${client.type}`)} ·{' '}
            <span class={`badge ${client.status}`}>{t(`status.${client.status}`)}</span>
          </p>
        </div>
        <div class="actions">
          {client.active ? (
            <button type="button" class="secondary" disabled={busy} onClick={() => act('POST', '/deactivate', t('client.deactivated'), { idempotent: true })}>
              {t('client.deactivate')}
            </button>
          ) : (
            <button type="button" class="secondary" disabled={busy} onClick={() => act('POST', '/activate', t('client.activated'), { idempotent: true })}>
              {t('client.activate')}
            </button>
          )}
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirmEnd(true)}>
            {t('client.end')}
          </button>
        </div>
      </div>
      <ConfirmDialog
        open={confirmEnd}
        title={t('client.endTitle', { name: client.accountName })}
        text={t('client.endText')}
        confirm={t('client.end')}
        busy={busy}
        onConfirm={endRelationship}
        onClose={() => setConfirmEnd(false)}
      />

      <section class="card" aria-labelledby="details-title">
        <div class="section-head">
          <h2 id="details-title">{t('client.details')}</h2>
          {!editing && (
            <button type="button" class="secondary" onClick={() => setEditing(true)}>
              {t('common.edit')}
            </button>
          )}
        </div>
        {editing ? (
          <DetailsEditor
            key={editorKey}
            resource={client}
            etag={loaded.etag}
            patchPath={path}
            withAdminNotes={withAdminNotes}
            required={required}
            onSaved={(saved, etag) => {
              setLoaded({ client: saved, etag });
              setEditing(false);
              notify({ kind: 'success', text: t('client.saved') });
            }}
            onCancel={() => setEditing(false)}
            onReload={() => load().then(() => setEditorKey((key) => key + 1))}
          />
        ) : (
          <DetailsView resource={client} withAdminNotes={withAdminNotes} />
        )}
        <p class="meta">
          {t('common.created')} {dateTime(client.createdAt)} · {t('common.updated')} {dateTime(client.updatedAt)}
        </p>
      </section>

      <OwnerSection client={client} busy={busy} act={act} revoke={async () => {
        setBusy(true);
        try {
          await call('DELETE', `${path}/invitation`);
          await load();
          notify({ kind: 'success', text: t('client.revoked') });
        } catch (caught) {
          notify({ kind: 'error', text: errorText(caught) });
        } finally {
          setBusy(false);
        }
      }} />
      <LicensesSection clientId={client.id} />
      <EmailLog clientId={client.id} />
    </article>
  );
}

function OwnerSection({ client, busy, act, revoke }: { client: ClientResponse; busy: boolean; act: (method: string, suffix: string, success: string) => Promise<void>; revoke(): void }) {
  const { t } = useConsole();
  const { dateTime } = useDates();
  const owner = client.owner;
  if (!owner) return null;
  const invitation = owner.invitation;
  const pending = invitation && (invitation.status === 'scheduled' || invitation.status === 'sent');
  return (
    <section class="card" aria-labelledby="owner-title">
      <h2 id="owner-title">{t('client.owner')}</h2>
      <dl class="details">
        <div>
          <dt>{t('common.name')}</dt>
          <dd>
            {owner.firstName} {owner.lastName}
          </dd>
        </div>
        <div>
          <dt>{t('common.email')}</dt>
          <dd>{owner.email}</dd>
        </div>
        <div>
          <dt>{t('client.ownerStatus')}</dt>
          <dd>
            <span class={`badge owner-${owner.status}`}>{t(`owner.${owner.status}`)}</span>
          </dd>
        </div>
        {invitation ? (
          <>
            <div>
              <dt>{t('client.invitationStatus')}</dt>
              <dd>{t(`invitation.${invitation.status}`)}</dd>
            </div>
            {invitation.sendAt && invitation.status === 'scheduled' && (
              <div>
                <dt>{t('client.sendAt')}</dt>
                <dd>{dateTime(invitation.sendAt)}</dd>
              </div>
            )}
            <div>
              <dt>{t('client.sentAt')}</dt>
              <dd>{dateTime(invitation.sentAt)}</dd>
            </div>
            <div>
              <dt>{t('client.expiresAt')}</dt>
              <dd>{dateTime(invitation.expiresAt)}</dd>
            </div>
          </>
        ) : (
          <div>
            <dt>{t('client.invitation')}</dt>
            <dd>{t('client.noInvitation')}</dd>
          </div>
        )}
      </dl>
      {owner.status !== 'active' && (
        <div class="actions">
          <button type="button" class="secondary" disabled={busy} onClick={() => act('POST', '/invitation/resend', t('client.resent', { email: owner.email }))}>
            {t('client.resend')}
          </button>
          {pending && (
            <button type="button" class="secondary" disabled={busy} onClick={revoke}>
              {t('client.revoke')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function LicensesSection({ clientId }: { clientId: string }) {
  const { t, notify } = useConsole();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const { date } = useDates();
  const [licenses, setLicenses] = useState<LicenseResponse[] | null>(null);
  const [plans, setPlans] = useState<ServicePlanResponse[]>([]);
  const [assign, setAssign] = useState({ planId: '', units: '1', startDate: new Date().toISOString().slice(0, 10) });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [units, setUnits] = useState<Record<string, string>>({});
  const base = `/v1/clients/${encodeURIComponent(clientId)}/licenses`;

  const load = () =>
    call<Page<LicenseResponse>>('GET', `${base}?limit=200`)
      .then(({ data }) => {
        setLicenses(data.data);
        setUnits(Object.fromEntries(data.data.map((license) => [license.id, String(license.units)])));
      })
      .catch((caught) => notify({ kind: 'error', text: errorText(caught) }));

  useEffect(() => {
    void load();
    call<Page<ServicePlanResponse>>('GET', '/v1/service-plans?active=true&limit=200')
      .then(({ data }) => setPlans(data.data))
      .catch(() => setPlans([]));
  }, [clientId]);

  const submitAssign = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    try {
      const body = { planId: assign.planId, units: /^\d+$/.test(assign.units.trim()) ? Number(assign.units) : assign.units, startDate: assign.startDate };
      await call('POST', base, { body, idempotent: true });
      notify({ kind: 'success', text: t('client.assigned') });
      await load();
    } catch (caught) {
      if (caught instanceof ApiError && caught.problem.errors?.length) {
        setErrors(Object.fromEntries(caught.problem.errors.map((error) => [error.field, fieldMessage(error.message)])));
      } else notify({ kind: 'error', text: errorText(caught) });
    }
  };

  const change = async (license: LicenseResponse) => {
    const value = units[license.id] ?? '';
    try {
      await call('PATCH', `${base}/${license.id}`, { body: { units: /^\d+$/.test(value.trim()) ? Number(value) : value } });
      await load();
    } catch (caught) {
      notify({ kind: 'error', text: caught instanceof ApiError && caught.problem.errors?.length ? caught.problem.errors.map((e) => e.message).join(' ') : errorText(caught) });
    }
  };

  const end = async (license: LicenseResponse) => {
    try {
      await call('DELETE', `${base}/${license.id}`);
      await load();
    } catch (caught) {
      notify({ kind: 'error', text: errorText(caught) });
    }
  };

  return (
    <section class="card" aria-labelledby="licenses-title">
      <h2 id="licenses-title">{t('client.licenses')}</h2>
      {licenses === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : licenses.length === 0 ? (
        <p class="empty">{t('client.noLicenses')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('form.plan')}</th>
                <th scope="col">{t('form.units')}</th>
                <th scope="col">{t('form.startDate')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {licenses.map((license) => (
                <tr key={license.id}>
                  <th scope="row">
                    {license.plan.name} <span class="muted">({license.plan.product})</span>
                  </th>
                  <td>
                    {license.status === 'active' ? (
                      <input
                        class="units"
                        inputMode="numeric"
                        aria-label={t('client.unitsOf', { plan: license.plan.name })}
                        value={units[license.id] ?? ''}
                        onInput={(event) => setUnits({ ...units, [license.id]: (event.currentTarget as HTMLInputElement).value })}
                      />
                    ) : (
                      license.units
                    )}{' '}
                    {license.plan.unitType}
                  </td>
                  <td>{date(license.startDate)}</td>
                  <td>{license.status === 'active' ? t('status.active') : t('client.licenseEnded')}</td>
                  <td class="row-actions">
                    {license.status === 'active' && (
                      <>
                        <button type="button" class="secondary small" onClick={() => change(license)} disabled={units[license.id] === String(license.units)}>
                          {t('client.changeUnits')}
                        </button>
                        <button type="button" class="secondary small" onClick={() => end(license)} aria-label={t('client.endLicenseOf', { plan: license.plan.name })}>
                          {t('client.endLicense')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {plans.length > 0 && (
        <form class="inline-form" onSubmit={submitAssign} noValidate aria-label={t('client.assign')}>
          <Select
            path="license.planId"
            label={t('form.plan')}
            value={assign.planId}
            onValue={(planId) => setAssign({ ...assign, planId })}
            options={[{ value: '', label: t('form.choosePlan') }, ...plans.map((plan) => ({ value: plan.id, label: plan.name }))]}
            error={errors.planId}
            required
          />
          <Field path="license.units" label={t('form.units')} value={assign.units} inputMode="numeric" onValue={(value) => setAssign({ ...assign, units: value })} error={errors.units} required />
          <Field path="license.startDate" label={t('form.startDate')} type="date" value={assign.startDate} onValue={(value) => setAssign({ ...assign, startDate: value })} error={errors.startDate} required />
          <button type="submit">{t('client.assign')}</button>
        </form>
      )}
    </section>
  );
}

function EmailLog({ clientId }: { clientId: string }) {
  const { t } = useConsole();
  const errorText = useErrorText();
  const { dateTime } = useDates();
  const [emails, setEmails] = useState<EmailLogEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    call<Page<EmailLogEntry>>('GET', `/v1/clients/${encodeURIComponent(clientId)}/emails`)
      .then(({ data }) => setEmails(data.data))
      .catch((caught) => setError(errorText(caught)));
  useEffect(() => {
    void load();
  }, [clientId]);

  return (
    <section class="card" aria-labelledby="emails-title">
      <div class="section-head">
        <h2 id="emails-title">{t('client.emails')}</h2>
        <button type="button" class="secondary small" onClick={load}>
          {t('client.reload')}
        </button>
      </div>
      {error && <Message kind="error">{error}</Message>}
      {emails !== null && emails.length === 0 && <p class="empty">{t('client.noEmails')}</p>}
      {emails !== null && emails.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('client.email.template')}</th>
                <th scope="col">{t('client.email.recipient')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('client.email.attempts')}</th>
                <th scope="col">{t('client.email.when')}</th>
              </tr>
            </thead>
            <tbody>
              {emails.map((email) => (
                <tr key={email.id}>
                  <td>{t(`template.${email.template}`)}</td>
                  <td>{email.recipient ?? t('common.none')}</td>
                  <td>
                    <span class={`badge email-${email.status}`} title={email.lastError ?? undefined}>
                      {t(`email.${email.status}`)}
                    </span>
                  </td>
                  <td>{email.attempts}</td>
                  <td>{dateTime(email.sentAt ?? email.scheduledFor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
