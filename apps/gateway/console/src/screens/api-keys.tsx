import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiKeyResponse, CreatedApiKeyResponse, Page } from '@clientele/contracts';
import { ApiError, call } from '../api';
import { useConsole } from '../ui/context';
import { Field, Message, ScreenTitle, useDates, useErrorText, useFieldMessage } from '../ui/parts';

/** API keys: a new key is shown once, with a copy button; afterwards only its prefix. */
export function ApiKeysScreen() {
  const { t, notify } = useConsole();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const { dateTime } = useDates();
  const [keys, setKeys] = useState<ApiKeyResponse[] | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [created, setCreated] = useState<CreatedApiKeyResponse | null>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const keyField = useRef<HTMLInputElement>(null);

  const load = () =>
    call<Page<ApiKeyResponse>>('GET', '/v1/api-keys?limit=200')
      .then(({ data }) => setKeys(data.data))
      .catch((caught) => notify({ kind: 'error', text: errorText(caught) }));
  useEffect(() => {
    void load();
  }, []);

  const create = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setCopied(null);
    try {
      const { data } = await call<CreatedApiKeyResponse>('POST', '/v1/api-keys', { body: { name: name.trim() }, idempotent: true });
      setCreated(data);
      setName('');
      await load();
      setTimeout(() => keyField.current?.select(), 0);
    } catch (caught) {
      if (caught instanceof ApiError && caught.problem.errors?.length) setError(fieldMessage(caught.problem.errors[0].message));
      else notify({ kind: 'error', text: errorText(caught) });
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('yes');
    } catch {
      keyField.current?.select();
      setCopied('failed');
    }
  };

  const revoke = async (key: ApiKeyResponse) => {
    try {
      await call('DELETE', `/v1/api-keys/${key.id}`);
      notify({ kind: 'success', text: t('keys.revoked', { name: key.name }) });
      await load();
    } catch (caught) {
      notify({ kind: 'error', text: errorText(caught) });
    }
  };

  return (
    <section>
      <ScreenTitle>{t('keys.title')}</ScreenTitle>
      <p class="note">{t('keys.intro')}</p>
      {created && (
        <div class="card new-key" role="region" aria-labelledby="new-key-title">
          <h2 id="new-key-title">{t('keys.new', { name: created.name })}</h2>
          <p>{t('keys.newWarning')}</p>
          <div class="copy-row">
            <label for="new-key" class="visually-hidden">
              {t('keys.new', { name: created.name })}
            </label>
            <input id="new-key" ref={keyField} readOnly value={created.key} class="mono" />
            <button type="button" onClick={copy}>
              {t('keys.copy')}
            </button>
          </div>
          {copied === 'yes' && <Message kind="success">{t('keys.copied')}</Message>}
          {copied === 'failed' && <Message kind="error">{t('keys.copyFailed')}</Message>}
          <button type="button" class="secondary" onClick={() => setCreated(null)}>
            {t('keys.done')}
          </button>
        </div>
      )}
      <form class="card inline-form" onSubmit={create} noValidate>
        <Field path="key.name" label={t('common.name')} value={name} onValue={setName} error={error} required maxLength={100} />
        <button type="submit">{t('keys.create')}</button>
      </form>
      {keys !== null && keys.length === 0 && <p class="empty">{t('keys.empty')}</p>}
      {keys !== null && keys.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('keys.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('keys.prefix')}</th>
                <th scope="col">{t('common.created')}</th>
                <th scope="col">{t('keys.lastUsed')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.name}</th>
                  <td class="mono">{key.prefix}…</td>
                  <td>{dateTime(key.createdAt)}</td>
                  <td>{key.lastUsedAt ? dateTime(key.lastUsedAt) : t('keys.never')}</td>
                  <td>
                    <button type="button" class="secondary small" onClick={() => revoke(key)} aria-label={t('keys.revokeOf', { name: key.name })}>
                      {t('keys.revoke')}
                    </button>
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
