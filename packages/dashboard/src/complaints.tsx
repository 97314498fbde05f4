import { ARCHIVE_REASON_LABELS } from '@lapor/domain/labels';
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime } from './format';
import { api, problemText, type Session } from './session';

type ArchiveReason = 'SPAM' | 'DUPLICATE' | 'NOT_PUBLIC_SERVICE' | 'INCOMPLETE' | 'OTHER';
// the domain's reasons an official may choose; the 10-working-day Tunda timeout is the scheduler's alone
const ARCHIVE_REASONS = (Object.keys(ARCHIVE_REASON_LABELS) as (ArchiveReason | 'MISSING_DATA_TIMEOUT')[])
  .filter((reason): reason is ArchiveReason => reason !== 'MISSING_DATA_TIMEOUT')
  .map((reason) => ({ value: reason, label: ARCHIVE_REASON_LABELS[reason] }));

const TIMER_STATUS: Record<string, string> = {
  pending: 'berjalan',
  waiting: 'menunggu',
  fired: 'terlewati',
  stale: 'tidak berlaku',
  refused: 'ditolak',
  dropped: 'dihentikan',
};

const STAGES: Record<string, string> = {
  verification: 'Verifikasi',
  missing_data: 'Kelengkapan data (Tunda)',
  first_follow_up: 'Tindak lanjut pertama',
  completion: 'Penyelesaian',
};
const EVENTS: Record<string, string> = {
  ComplaintSubmitted: 'Pengaduan diterima',
  ComplaintVerified: 'Diverifikasi',
  MissingDataRequested: 'Ditunda: data diminta',
  ComplaintArchived: 'Diarsipkan',
  ComplaintDisposed: 'Didisposisikan',
  ComplaintReturned: 'Dikembalikan (Bukan Wewenang)',
  FollowUpPosted: 'Ditindaklanjuti',
  ComplaintCompleted: 'Selesai',
};

type InboxPage = NonNullable<Awaited<ReturnType<typeof loadInbox>>['data']>;
const loadInbox = () => api.GET('/inbox', {});

/** Kotak Masuk: the complaints of the user's node, newest first. */
export function InboxPage(props: { session: Session; onOpen: (complaintId: string) => void }) {
  const [page, setPage] = useState<InboxPage | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    void loadInbox().then((answer) => (answer.data ? setPage(answer.data) : setError(problemText(answer.error, 'Kotak masuk tidak dapat dibaca.'))));
  }, []);
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">Kotak Masuk</h1>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {page && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Nomor Tracking</th>
                <th scope="col">Judul</th>
                <th scope="col">Status</th>
                <th scope="col">Diterima</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr>
                  <td>{item.trackingId}</td>
                  <th scope="row">
                    <button type="button" class="link" onClick={() => props.onOpen(item.complaintId)}>
                      {item.title}
                    </button>
                  </th>
                  <td>{item.statusLabel}</td>
                  <td>{formatDateTime(item.receivedAt, props.session.zone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.items.length === 0 && <p>Tidak ada pengaduan.</p>}
        </div>
      )}
    </section>
  );
}

type Complaint = NonNullable<Awaited<ReturnType<typeof loadComplaint>>['data']>;
type Timers = NonNullable<Awaited<ReturnType<typeof loadTimers>>['data']>;
const loadComplaint = (complaintId: string) => api.GET('/complaints/{complaintId}', { params: { path: { complaintId } } });
const loadTimers = (complaintId: string) => api.GET('/complaints/{complaintId}/timers', { params: { path: { complaintId } } });

/** A complaint: its detail, history, SLA timers and the actions this role may take on it now. */
export function ComplaintPage(props: { session: Session; complaintId: string; onBack: () => void }) {
  const { session, complaintId } = props;
  const [complaint, setComplaint] = useState<Complaint | undefined>();
  const [timers, setTimers] = useState<Timers | undefined>();
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>();
  const [categories, setCategories] = useState<{ value: string; label: string }[]>([]);
  // the taxonomy this user's instansi sees: a sub-kategori is offered as "Kategori › Sub-kategori"
  useEffect(() => {
    void api.GET('/categories').then((answer) => {
      const all = answer.data?.categories ?? [];
      const names = new Map(all.map((category) => [category.id, category.name]));
      setCategories(
        all
          .filter((category) => category.active)
          .map((category) => ({ value: category.id, label: category.parentId ? `${names.get(category.parentId) ?? category.parentId} › ${category.name}` : category.name })),
      );
    });
  }, []);
  const [slaClasses, setSlaClasses] = useState<{ value: string; label: string }[]>([]);
  const reload = () => {
    void loadComplaint(complaintId).then((answer) =>
      answer.data ? setComplaint(answer.data) : setMessage({ text: problemText(answer.error, 'Pengaduan tidak dapat dibaca.'), error: true }),
    );
    void loadTimers(complaintId).then((answer) => answer.data && setTimers(answer.data));
  };
  useEffect(reload, [complaintId]);
  // the SLA classes and their labels as the scheduler plans with them (the deadlines are configuration)
  useEffect(() => {
    void api.GET('/scheduler/policy', {}).then(
      (answer) =>
        answer.data &&
        setSlaClasses(Object.entries(answer.data.configuration.classes).map(([value, policy]) => ({ value, label: `${policy.label} (${policy.completionWorkingDays} hari kerja)` }))),
    );
  }, []);
  if (!complaint) return <p>{message?.text ?? 'Memuat…'}</p>;

  const done = (answer: { error?: unknown; data?: unknown }, success: string) => {
    setMessage(answer.error === undefined ? { text: success, error: false } : { text: problemText(answer.error, 'Tindakan ditolak.'), error: true });
    if (answer.error === undefined) reload();
  };
  const path = { complaintId };
  const admin = session.role === 'admin_nasional' || session.role === 'admin_instansi';
  const actions: Action[] = [];
  // disposition goes down the tree: the units right below the user's node
  const below = session.nodes.filter((node) => node.parentId === session.nodeId).map((node) => ({ value: node.id, label: node.name }));
  if (admin && (complaint.status === 'BELUM_TERVERIFIKASI' || complaint.status === 'TUNDA')) {
    actions.push({
      label: 'Verifikasi',
      field: 'Kategori',
      // with no taxonomy recorded (the transitional rule) the category is typed as free text
      ...(categories.length > 0 ? { options: categories } : {}),
      choice: { field: 'Kelas batas waktu penyelesaian', options: slaClasses, initial: 'tanpa_pengawasan' },
      run: async (category, slaClass) =>
        done(
          await api.POST('/complaints/{complaintId}/verification', { params: { path }, body: { slaClass, category } as never }),
          'Pengaduan terverifikasi.',
        ),
    });
    actions.push({
      label: 'Tunda',
      field: 'Pesan kepada pelapor',
      run: async (text) =>
        done(await api.POST('/complaints/{complaintId}/missing-data-requests', { params: { path }, body: { message: text } }), 'Pengaduan ditunda.'),
    });
    actions.push({
      label: 'Arsipkan',
      field: 'Alasan arsip',
      options: ARCHIVE_REASONS,
      run: async (reason) =>
        done(await api.POST('/complaints/{complaintId}/archive', { params: { path }, body: { reason: reason as ArchiveReason } }), 'Pengaduan diarsipkan.'),
    });
  }
  if (admin && complaint.status === 'BELUM_DITINDAKLANJUTI') {
    actions.push({
      label: 'Disposisi',
      field: 'Unit tujuan',
      options: below,
      run: async (to) =>
        done(await api.POST('/complaints/{complaintId}/dispositions', { params: { path }, body: { to } as never }), 'Pengaduan didisposisikan.'),
    });
  }
  if (complaint.status === 'BELUM_DITINDAKLANJUTI' || complaint.status === 'PROSES') {
    actions.push({
      label: 'Tindak Lanjut',
      field: 'Isi tindak lanjut',
      run: async (text) =>
        done(await api.POST('/complaints/{complaintId}/follow-ups', { params: { path }, body: { message: text } as never }), 'Tindak lanjut terkirim.'),
    });
    actions.push({
      label: 'Bukan Wewenang',
      field: 'Alasan',
      run: async (reason) =>
        done(await api.POST('/complaints/{complaintId}/returns', { params: { path }, body: { reason } as never }), 'Pengaduan dikembalikan.'),
    });
  }

  return (
    <section aria-labelledby="complaint-title">
      <button type="button" class="link" onClick={props.onBack}>
        ← Kotak Masuk
      </button>
      <h1 id="complaint-title">Pengaduan {complaint.trackingId}</h1>
      <dl class="facts">
        <dt>Status</dt>
        <dd data-testid="status">{complaint.statusLabel}</dd>
        <dt>Jenis</dt>
        <dd>{complaint.kind}</dd>
        <dt>Diterima</dt>
        <dd>{formatDateTime(complaint.receivedAt, session.zone)}</dd>
        <dt>Kategori</dt>
        <dd>{complaint.category ?? '–'}</dd>
        <dt>Pemegang</dt>
        <dd>{complaint.holder.id}</dd>
      </dl>
      {message && (
        <p role={message.error ? 'alert' : 'status'} class={message.error ? 'error' : 'ok'}>
          {message.text}
        </p>
      )}
      <h2>Tindakan</h2>
      {actions.length === 0 ? <p>Tidak ada tindakan untuk peran Anda saat ini.</p> : actions.map((action) => <ActionForm key={`${action.label}-${action.options ? action.options.length : 0}`} {...action} />)}
      <h2>Batas Waktu (SLA)</h2>
      <ul class="timers">
        {(timers?.timers ?? []).map((timer) => (
          <li>
            {STAGES[timer.stage] ?? timer.stage}: jatuh tempo {formatDateTime(timer.dueAt, session.zone)} — {TIMER_STATUS[timer.status] ?? timer.status}
          </li>
        ))}
      </ul>
      <h2>Riwayat</h2>
      <ol class="timeline">
        {complaint.history.map((entry) => (
          <li>
            <time dateTime={entry.at}>{formatDateTime(entry.at, session.zone)}</time> {EVENTS[entry.type] ?? entry.type} ({entry.by.role}
            {entry.by.nodeId ? `, ${entry.by.nodeId}` : ''})
          </li>
        ))}
      </ol>
    </section>
  );
}

type Option = { value: string; label: string };
type Action = {
  label: string;
  field?: string;
  options?: Option[];
  // a second field chosen from a list beside the first (the SLA class at verification)
  choice?: { field: string; options: Option[]; initial: string };
  run: (text: string, choice: string) => Promise<void>;
};

function ActionForm(props: Action) {
  const [text, setText] = useState(props.options?.[0]?.value ?? '');
  const [choice, setChoice] = useState(props.choice?.initial ?? '');
  const id = `action-${props.label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <form
      class="action"
      onSubmit={(event) => {
        event.preventDefault();
        void props.run(text, choice);
      }}
    >
      {props.field && (
        <label for={id}>
          {props.field}
          {props.options ? <Select id={id} value={text} options={props.options} onChange={setText} /> : <input id={id} value={text} onInput={(event) => setText(event.currentTarget.value)} />}
        </label>
      )}
      {props.choice && (
        <label for={`${id}-choice`}>
          {props.choice.field}
          <Select id={`${id}-choice`} value={choice} options={props.choice.options} onChange={setChoice} />
        </label>
      )}
      <button type="submit">{props.label}</button>
    </form>
  );
}

function Select(props: { id: string; value: string; options: Option[]; onChange: (value: string) => void }) {
  return (
    <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
      {props.options.map((option) => (
        <option value={option.value}>{option.label}</option>
      ))}
    </select>
  );
}
