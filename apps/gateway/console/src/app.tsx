import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { SIGNED_OUT_EVENT, session } from './api';
import { LANGUAGES, LANGUAGE_NAMES, LANGUAGE_STORAGE_KEY, pickLanguage, translator, type Language } from './i18n/i18n';
import { NAVIGATE_EVENT, navigate, parseRoute, paths, type Route } from './router';
import { AccountScreen } from './screens/account';
import { ApiKeysScreen } from './screens/api-keys';
import { ClientScreen } from './screens/client';
import { ClientsScreen } from './screens/clients';
import { ForgotPasswordScreen } from './screens/forgot-password';
import { NewClientScreen } from './screens/new-client';
import { PlansScreen } from './screens/plans';
import { RequestsScreen } from './screens/requests';
import { SignInScreen } from './screens/sign-in';
import { Console, useConsole, type Notice } from './ui/context';
import { Link, Message, ScreenTitle } from './ui/parts';

const PUBLIC_SCREENS = new Set<Route['name']>(['signIn', 'forgotPassword']);

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function App() {
  const [location, setLocation] = useState(() => window.location.pathname + window.location.search);
  const [signedIn, setSignedIn] = useState(() => session.token() !== null);
  const [language, setLanguage] = useState<Language>(() => pickLanguage(navigator.languages ?? [navigator.language], storedLanguage()));
  const [notice, setNotice] = useState<Notice | null>(null);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    const onMove = () => setLocation(window.location.pathname + window.location.search);
    const onSignedOut = () => {
      setSignedIn(false);
      setExpired(true);
    };
    window.addEventListener('popstate', onMove);
    window.addEventListener(NAVIGATE_EVENT, onMove);
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => {
      window.removeEventListener('popstate', onMove);
      window.removeEventListener(NAVIGATE_EVENT, onMove);
      window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
    };
  }, []);

  // Set in the same commit as the translated text (a layout effect), so the page never shows one language under another's `lang`.
  useLayoutEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const route = parseRoute(window.location.pathname);
  const t = useMemo(() => translator(language), [language]);
  const context = useMemo(
    () => ({
      t,
      language,
      notify: (next: Notice, carry = false) => {
        carried.current = carry;
        setNotice(next);
      },
    }),
    [t, language],
  );

  // Signed out (or the token ended): the sign-in screen, which then goes back to the screen asked for.
  const returnTo = useRef<string | null>(null);
  useEffect(() => {
    if (!signedIn && !PUBLIC_SCREENS.has(route.name)) {
      returnTo.current = window.location.pathname + window.location.search;
      navigate(paths.signIn, { replace: true });
    }
    if (signedIn && PUBLIC_SCREENS.has(route.name)) {
      navigate(returnTo.current ?? paths.clients, { replace: true });
      returnTo.current = null;
    }
  }, [signedIn, route.name]);
  // A notice belongs to the screen it was raised on; one raised just before moving on (`carry`) shows on the next.
  const carried = useRef(false);
  const pathname = window.location.pathname;
  const lastPath = useRef(pathname);
  useEffect(() => {
    if (lastPath.current === pathname) return;
    lastPath.current = pathname;
    if (carried.current) carried.current = false;
    else setNotice(null);
  }, [pathname]);

  const chooseLanguage = (value: Language) => {
    setLanguage(value);
    try {
      localStorage.setItem(LANGUAGE_STORAGE_KEY, value);
    } catch {
      // Storage refused (private mode): the choice lasts until the page is reloaded.
    }
  };

  const signOut = () => {
    session.signOut();
    setNotice(null);
    setExpired(false);
  };

  const languageSwitch = (
    <div class="language">
      <label for="language-switch">{t('nav.language')}</label>
      <select id="language-switch" value={language} onChange={(event) => chooseLanguage((event.currentTarget as HTMLSelectElement).value as Language)}>
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );

  if (!signedIn || PUBLIC_SCREENS.has(route.name)) {
    return (
      <Console.Provider value={context}>
        <div class="public">
          <header class="public-header">
            <span class="brand">{t('app.name')}</span>
            {languageSwitch}
          </header>
          <main id="main">
            {route.name === 'forgotPassword' ? (
              <ForgotPasswordScreen />
            ) : (
              <SignInScreen
                expired={expired}
                onSignedIn={() => {
                  setSignedIn(true);
                  setExpired(false);
                }}
              />
            )}
          </main>
        </div>
      </Console.Provider>
    );
  }

  const navItems: { href: string; label: string; active: boolean }[] = [
    { href: paths.clients, label: t('nav.clients'), active: ['clients', 'client', 'newClient'].includes(route.name) },
    { href: paths.requests, label: t('nav.requests'), active: route.name === 'requests' },
    { href: paths.plans, label: t('nav.plans'), active: route.name === 'plans' },
    { href: paths.apiKeys, label: t('nav.apiKeys'), active: route.name === 'apiKeys' },
    { href: paths.account, label: t('nav.account'), active: route.name === 'account' },
  ];

  return (
    <Console.Provider value={context}>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="top">
        <span class="brand">
          {t('app.name')} <span class="brand-sub">{t('app.console')}</span>
        </span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {navItems.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={item.active ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="top-actions">
          {languageSwitch}
          <button type="button" class="secondary" onClick={signOut}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main">
        {notice && (
          <Message kind={notice.kind}>
            <span>{notice.text}</span>
            <button type="button" class="link" onClick={() => setNotice(null)} aria-label={t('common.close')}>
              ×
            </button>
          </Message>
        )}
        {/* A new address (a link, back or forward) opens the screen afresh; the filters a screen writes into its own address do not. */}
        <Screen route={route} key={location} />
      </main>
    </Console.Provider>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'clients':
      return <ClientsScreen />;
    case 'newClient':
      return <NewClientScreen />;
    case 'client':
      return <ClientScreen id={route.id} />;
    case 'requests':
      return <RequestsScreen />;
    case 'plans':
      return <PlansScreen />;
    case 'apiKeys':
      return <ApiKeysScreen />;
    case 'account':
      return <AccountScreen />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  const { t } = useConsole();
  return (
    <section>
      <ScreenTitle>{t('error.notFound')}</ScreenTitle>
      <Link href={paths.clients}>{t('clients.backToOwn')}</Link>
    </section>
  );
}
