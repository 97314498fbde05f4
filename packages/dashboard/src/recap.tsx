import { useEffect, useState } from 'preact/hooks';
import { formatCount, formatDate, formatDateTime, formatDecimal } from './format';
import { PeriodPicker, type Period } from './period';
import { api, download, problemText, type Session } from './session';

type Recap = NonNullable<Awaited<ReturnType<typeof loadRecap>>['data']>;
type Row = Recap['below'][number];

function loadRecap(nodeId: string, period: Period) {
  return api.GET('/statistics/recap', { params: { query: { nodeId, from: period.from, to: period.to, ...(period.asOf ? { asOf: period.asOf } : {}) } } });
}

/** Rekapitulasi Kinerja Unit di Bawah: the node's total, one row per unit below it; click a unit to go down. */
export function RecapPage(props: { session: Session; period: Period; onPeriod: (period: Period) => void }) {
  const { session, period, onPeriod } = props;
  const [trail, setTrail] = useState<{ nodeId: string; name: string }[]>([{ nodeId: session.nodeId, name: session.nodeName }]);
  const [recap, setRecap] = useState<Recap | undefined>();
  const [error, setError] = useState<string | undefined>();
  const current = trail[trail.length - 1]!;

  useEffect(() => {
    let live = true;
    setError(undefined);
    void loadRecap(current.nodeId, period).then((answer) => {
      if (!live) return;
      if (answer.data) setRecap(answer.data);
      else setError(problemText(answer.error, 'Rekap tidak dapat dibaca.'));
    });
    return () => {
      live = false;
    };
  }, [current.nodeId, period.from, period.to, period.asOf]);

  const query = { nodeId: current.nodeId, from: period.from, to: period.to, ...(period.asOf ? { asOf: period.asOf } : {}) };
  const exportFile = async (path: string, format: 'csv' | 'xlsx') => {
    const failed = await download(path, { ...query, format });
    if (failed) setError(failed);
  };

  return (
    <section aria-labelledby="recap-title">
      <h1 id="recap-title">Rekapitulasi Kinerja Unit di Bawah</h1>
      <nav aria-label="Jejak unit" class="breadcrumbs">
        <ol>
          {trail.map((step, index) => (
            <li>
              {index < trail.length - 1 ? (
                <button type="button" class="link" onClick={() => setTrail(trail.slice(0, index + 1))}>
                  {step.name}
                </button>
              ) : (
                <span aria-current="page">{step.name}</span>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <PeriodPicker period={period} zone={session.zone} onChange={onPeriod} />
      <div class="exports" role="group" aria-label="Unduh">
        <button type="button" onClick={() => void exportFile('/statistics/recap/export', 'csv')}>
          Unduh CSV
        </button>
        <button type="button" onClick={() => void exportFile('/statistics/recap/export', 'xlsx')}>
          Unduh XLSX
        </button>
        <button type="button" onClick={() => void exportFile('/statistics/yearly/export', 'xlsx')}>
          Laporan Tahunan (XLSX)
        </button>
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {recap && <RecapTable recap={recap} session={session} onUnit={(row) => setTrail([...trail, { nodeId: row.nodeId, name: row.name }])} />}
    </section>
  );
}

const COUNT_COLUMNS: [keyof Row, string][] = [
  ['belumTerverifikasi', 'Belum Terverifikasi'],
  ['belumDitindaklanjuti', 'Belum Ditindaklanjuti'],
  ['proses', 'Proses'],
  ['selesai', 'Selesai'],
  ['total', 'Total'],
  ['tunda', 'Tunda'],
  ['arsip', 'Arsip'],
];

function RecapTable(props: { recap: Recap; session: Session; onUnit: (row: Row) => void }) {
  const { recap, session, onUnit } = props;
  const cells = (row: Row) => (
    <>
      {COUNT_COLUMNS.map(([key]) => (
        <td class="num" data-col={key}>
          {formatCount(row[key] as number)}
        </td>
      ))}
      <td class="num tl">
        <span class="bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, row.persenTindakLanjut)}%` }} />
        </span>
        {formatDecimal(row.persenTindakLanjut)}%
      </td>
      <td class="num">{formatDecimal(row.rtl)}</td>
      <td class="num">{formatDecimal(row.rhp)}</td>
      <td class="num">{formatDecimal(row.rv)}</td>
      <td>{formatDateTime(row.terakhirDilihat, session.zone)}</td>
    </>
  );
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Tabel rekapitulasi">
      <table class="recap">
        <caption data-period={`${recap.from}/${recap.to}`}>
          {recap.total.name}: {formatDate(recap.from)} s.d. {formatDate(recap.to)}, keadaan per {formatDateTime(recap.asOf, session.zone)}
        </caption>
        <thead>
          <tr>
            <th scope="col">No</th>
            <th scope="col">Unit Kerja</th>
            {COUNT_COLUMNS.map(([, label]) => (
              <th scope="col">{label}</th>
            ))}
            <th scope="col">%TL</th>
            <th scope="col">RTL</th>
            <th scope="col">RHP</th>
            <th scope="col">RV</th>
            <th scope="col">Terakhir Dilihat</th>
          </tr>
        </thead>
        <tbody>
          {recap.below.map((row, index) => (
            <tr>
              <td class="num">{index + 1}</td>
              <th scope="row">
                <button type="button" class="link" onClick={() => onUnit(row)}>
                  {row.name}
                </button>
              </th>
              {cells(row)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td />
            <th scope="row">Jumlah</th>
            {cells(recap.total)}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
