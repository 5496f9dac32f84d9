import { useState } from 'preact/hooks';
import { ApiError, call, session } from '../api';
import { paths } from '../router';
import { useConsole } from '../ui/context';
import { Field, Link, Message, ScreenTitle, useErrorText } from '../ui/parts';

interface TokenAnswer {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export function SignInScreen({ onSignedIn, expired }: { onSignedIn(): void; expired: boolean }) {
  const { t } = useConsole();
  const errorText = useErrorText();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { data } = await call<TokenAnswer>('POST', '/v1/auth/token', { body: { email: email.trim(), password }, anonymous: true });
      session.signIn(data.accessToken);
      onSignedIn();
    } catch (caught) {
      const wrong = caught instanceof ApiError && (caught.status === 401 || caught.status === 400);
      setError(wrong ? t('signIn.invalid') : errorText(caught));
      setBusy(false);
    }
  };

  return (
    <section class="card narrow">
      <ScreenTitle>{t('signIn.title')}</ScreenTitle>
      {expired && !error && <Message kind="info">{t('signIn.expired')}</Message>}
      {error && <Message kind="error">{error}</Message>}
      <form onSubmit={submit} noValidate>
        <Field path="email" label={t('signIn.email')} value={email} onValue={setEmail} type="email" autoComplete="username" required />
        <Field path="password" label={t('signIn.password')} value={password} onValue={setPassword} type="password" autoComplete="current-password" required />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('signIn.submit')}
          </button>
          <Link href={paths.forgotPassword}>{t('signIn.forgot')}</Link>
        </div>
      </form>
    </section>
  );
}
