import { useEffect, useState } from 'preact/hooks';
import type { Page, RelationshipRequestResponse } from '@clientele/contracts';
import { ApiError, call } from '../api';
import { useConsole } from '../ui/context';
import { Field, ScreenTitle, useDates, useErrorText, useFieldMessage } from '../ui/parts';

/** Invitations to connect (seed 004): an existing company is asked to become a client. */
export function RequestsScreen() {
  const { t, notify } = useConsole();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const { dateTime } = useDates();
  const [requests, setRequests] = useState<RelationshipRequestResponse[] | null>(null);
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const load = () =>
    call<Page<RelationshipRequestResponse>>('GET', '/v1/relationship-requests?limit=200')
      .then(({ data }) => setRequests(data.data))
      .catch((caught) => notify({ kind: 'error', text: errorText(caught) }));
  useEffect(() => {
    void load();
  }, []);

  const send = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    try {
      await call('POST', '/v1/relationship-requests', { body: { email: email.trim(), ...(message.trim() ? { message: message.trim() } : {}) }, idempotent: true });
      notify({ kind: 'success', text: t('requests.sent', { email: email.trim() }) });
      setEmail('');
      setMessage('');
      await load();
    } catch (caught) {
      if (caught instanceof ApiError && caught.problem.errors?.length) setErrors(Object.fromEntries(caught.problem.errors.map((e) => [e.field, fieldMessage(e.message)])));
      else notify({ kind: 'error', text: errorText(caught) });
    }
  };

  const cancel = async (request: RelationshipRequestResponse) => {
    try {
      await call('DELETE', `/v1/relationship-requests/${request.id}`);
      notify({ kind: 'success', text: t('requests.cancelled') });
      await load();
    } catch (caught) {
      notify({ kind: 'error', text: errorText(caught) });
    }
  };

  return (
    <section>
      <ScreenTitle>{t('requests.title')}</ScreenTitle>
      <p class="note">{t('requests.intro')}</p>
      <form class="card" onSubmit={send} noValidate>
        <Field path="request.email" label={t('requests.email')} type="email" value={email} onValue={setEmail} error={errors.email} required />
        <Field path="request.message" label={t('requests.message')} value={message} onValue={setMessage} error={errors.message} multiline maxLength={1000} />
        <div class="actions">
          <button type="submit">{t('requests.send')}</button>
        </div>
      </form>
      {requests !== null && requests.length === 0 && <p class="empty">{t('requests.empty')}</p>}
      {requests !== null && requests.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('requests.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.email')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('client.sentAt')}</th>
                <th scope="col">{t('requests.expiresAt')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((request) => (
                <tr key={request.id}>
                  <th scope="row">{request.email}</th>
                  <td>{t(`request.${request.status}`)}</td>
                  <td>{dateTime(request.sentAt)}</td>
                  <td>{dateTime(request.expiresAt)}</td>
                  <td>
                    {request.status === 'pending' && (
                      <button type="button" class="secondary small" onClick={() => cancel(request)}>
                        {t('requests.cancel')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
