import { useState } from 'preact/hooks';
import { call } from '../api';
import { paths } from '../router';
import { useConsole } from '../ui/context';
import { Field, Link, Message, ScreenTitle, useErrorText } from '../ui/parts';

/** "Forgot password?": the API always answers 202, so the screen never tells whether the e-mail has an account. */
export function ForgotPasswordScreen() {
  const { t } = useConsole();
  const errorText = useErrorText();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call('POST', '/v1/auth/password-reset', { body: { email: email.trim() }, anonymous: true });
      setSentTo(email.trim());
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card narrow">
      <ScreenTitle>{t('forgot.title')}</ScreenTitle>
      {sentTo ? (
        <Message kind="success">{t('forgot.sent', { email: sentTo })}</Message>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>{t('forgot.intro')}</p>
          {error && <Message kind="error">{error}</Message>}
          <Field path="email" label={t('signIn.email')} value={email} onValue={setEmail} type="email" autoComplete="username" required />
          <div class="actions">
            <button type="submit" disabled={busy}>
              {t('forgot.submit')}
            </button>
          </div>
        </form>
      )}
      <p>
        <Link href={paths.signIn}>{t('forgot.back')}</Link>
      </p>
    </section>
  );
}
