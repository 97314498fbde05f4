import { render } from 'preact';
import { useState } from 'preact/hooks';
import { ChartsPage } from './charts';
import { ComplaintPage, InboxPage } from './complaints';
import { zoneName } from './format';
import { yearPeriod, type Period } from './period';
import { PerformancePage } from './performance';
import { RecapPage } from './recap';
import { ROLE_NAMES, signIn, signOut, type Session } from './session';
import './style.css';

type View = { page: 'recap' } | { page: 'charts' } | { page: 'performance' } | { page: 'inbox' } | { page: 'complaint'; complaintId: string };

function App() {
  const [session, setSession] = useState<Session | undefined>();
  const [view, setView] = useState<View>({ page: 'recap' });
  const [period, setPeriod] = useState<Period>(yearPeriod(new Date().getFullYear()));
  if (!session) return <SignIn onSession={setSession} />;
  return (
    <>
      <header class="top">
        <strong>SP4N-LAPOR! Dasbor</strong>
        <nav aria-label="Menu utama">
          <button type="button" aria-current={view.page === 'recap' ? 'page' : undefined} onClick={() => setView({ page: 'recap' })}>
            Rekapitulasi
          </button>
          <button
            type="button"
            aria-current={view.page === 'inbox' || view.page === 'complaint' ? 'page' : undefined}
            onClick={() => setView({ page: 'inbox' })}
          >
            Kotak Masuk
          </button>
          <button type="button" aria-current={view.page === 'charts' ? 'page' : undefined} onClick={() => setView({ page: 'charts' })}>
            Grafik
          </button>
          <button type="button" aria-current={view.page === 'performance' ? 'page' : undefined} onClick={() => setView({ page: 'performance' })}>
            Kinerja
          </button>
        </nav>
        <span class="who">
          {session.username} · {ROLE_NAMES[session.role] ?? session.role} · {session.nodeName} ({zoneName(session.zone)})
        </span>
        <button
          type="button"
          onClick={() => {
            void signOut().then(() => setSession(undefined));
          }}
        >
          Keluar
        </button>
      </header>
      <main>
        {view.page === 'recap' && <RecapPage session={session} period={period} onPeriod={setPeriod} />}
        {view.page === 'charts' && <ChartsPage session={session} period={period} onPeriod={setPeriod} />}
        {view.page === 'performance' && <PerformancePage session={session} period={period} onPeriod={setPeriod} />}
        {view.page === 'inbox' && <InboxPage session={session} onOpen={(complaintId) => setView({ page: 'complaint', complaintId })} />}
        {view.page === 'complaint' && <ComplaintPage session={session} complaintId={view.complaintId} onBack={() => setView({ page: 'inbox' })} />}
      </main>
    </>
  );
}

function SignIn(props: { onSession: (session: Session) => void }) {
  const [error, setError] = useState<string | undefined>();
  return (
    <main class="sign-in">
      <h1>Masuk ke Dasbor SP4N-LAPOR!</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          void signIn(String(form.get('username')), String(form.get('password'))).then((answer) =>
            typeof answer === 'string' ? setError(answer) : props.onSession(answer),
          );
        }}
      >
        <label>
          Nama pengguna
          <input name="username" autocomplete="username" required />
        </label>
        <label>
          Kata sandi
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit">Masuk</button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <p class="note">Sesi hanya disimpan di memori tab ini: memuat ulang halaman berarti keluar.</p>
      </form>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
