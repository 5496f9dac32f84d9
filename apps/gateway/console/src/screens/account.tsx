import { useEffect, useState } from 'preact/hooks';
import type { ClientResponse } from '@clientele/contracts';
import { call } from '../api';
import { requiredFields } from '../client-form';
import { useConsole } from '../ui/context';
import { DetailsEditor, DetailsView } from '../ui/details-editor';
import { Message, ScreenTitle, useErrorText } from '../ui/parts';

type OwnAccount = Omit<ClientResponse, 'adminNotes'>;

/** The caller's own account: its details, changed with If-Match as a client's are. */
export function AccountScreen() {
  const { t, notify } = useConsole();
  const errorText = useErrorText();
  const [loaded, setLoaded] = useState<{ account: OwnAccount; etag: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [editorKey, setEditorKey] = useState(0);

  const load = () =>
    call<OwnAccount>('GET', '/v1/account')
      .then(({ data, etag }) => setLoaded({ account: data, etag }))
      .catch((caught) => setError(errorText(caught)));
  useEffect(() => {
    void load();
  }, []);

  if (error) return <Message kind="error">{error}</Message>;
  if (!loaded) return <p role="status">{t('common.loading')}</p>;
  const { account } = loaded;
  return (
    <section>
      <ScreenTitle>{t('account.title')}</ScreenTitle>
      <p class="subtitle">
        {account.accountName} · {t(`type.${account.type}`)}
      </p>
      <section class="card" aria-labelledby="account-details-title">
        <div class="section-head">
          <h2 id="account-details-title">{t('client.details')}</h2>
          {!editing && (
            <button type="button" class="secondary" onClick={() => setEditing(true)}>
              {t('common.edit')}
            </button>
          )}
        </div>
        {editing ? (
          <DetailsEditor
            key={editorKey}
            resource={account}
            etag={loaded.etag}
            patchPath="/v1/account"
            withAdminNotes={false}
            required={requiredFields(null)}
            onSaved={(saved, etag) => {
              setLoaded({ account: saved, etag });
              setEditing(false);
              notify({ kind: 'success', text: t('account.saved') });
            }}
            onCancel={() => setEditing(false)}
            onReload={() => load().then(() => setEditorKey((key) => key + 1))}
          />
        ) : (
          <DetailsView resource={account} withAdminNotes={false} />
        )}
      </section>
    </section>
  );
}
