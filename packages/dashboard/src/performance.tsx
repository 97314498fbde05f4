import { useEffect, useState } from 'preact/hooks';
import { formatCount, formatDateTime, formatDecimal, formatMonth } from './format';
import { PeriodPicker, type Period } from './period';
import { api, problemText, type Session } from './session';

async function load(nodeId: string, period: Period) {
  const query = { nodeId, from: period.from, to: period.to };
  const [admins, periods] = await Promise.all([api.GET('/statistics/admins', { params: { query } }), api.GET('/statistics/periods', { params: { query } })]);
  if (admins.error !== undefined) return problemText(admins.error, 'Kinerja Admin tidak dapat dibaca.');
  if (periods.error !== undefined) return problemText(periods.error, 'Tabel periode tidak dapat dibaca.');
  return { admins: admins.data, periods: periods.data };
}
type Loaded = Exclude<Awaited<ReturnType<typeof load>>, string>;

/** Kinerja Admin and the period table (per month), with the same period picker. */
export function PerformancePage(props: { session: Session; period: Period; onPeriod: (period: Period) => void }) {
  const [data, setData] = useState<Loaded | string | undefined>();
  useEffect(() => {
    void load(props.session.nodeId, props.period).then(setData);
  }, [props.period.from, props.period.to]);
  const zone = props.session.zone;
  return (
    <section aria-labelledby="performance-title">
      <h1 id="performance-title">Kinerja Admin dan Periode</h1>
      <PeriodPicker period={props.period} zone={zone} onChange={props.onPeriod} />
      {typeof data === 'string' && (
        <p role="alert" class="error">
          {data}
        </p>
      )}
      {data && typeof data !== 'string' && (
        <>
          <h2>Kinerja Admin</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Admin</th>
                  <th scope="col">Unit</th>
                  <th scope="col">Verifikasi</th>
                  <th scope="col">≤ 3 hari kerja</th>
                  <th scope="col">&gt; 3 hari kerja</th>
                  <th scope="col">Tunda</th>
                  <th scope="col">Arsip</th>
                  <th scope="col">Rata-rata hari verifikasi</th>
                  <th scope="col">Terakhir masuk</th>
                </tr>
              </thead>
              <tbody>
                {data.admins.admins.map((admin) => (
                  <tr>
                    <th scope="row">{admin.username}</th>
                    <td>{admin.nodeName}</td>
                    <td class="num">{formatCount(admin.verifications)}</td>
                    <td class="num">{formatCount(admin.verifiedWithin3Days ?? 0)}</td>
                    <td class="num">{formatCount(admin.verifiedAfter3Days ?? 0)}</td>
                    <td class="num">{formatCount(admin.postponements)}</td>
                    <td class="num">{formatCount(admin.archivings)}</td>
                    <td class="num">{formatDecimal(admin.averageVerificationDays ?? 0)}</td>
                    <td>{formatDateTime(admin.lastSignInAt, zone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Tabel Periode</h2>
          <div class="table-wrap">
            <table class="periods">
              <thead>
                <tr>
                  <th scope="col">Bulan</th>
                  <th scope="col">Diterima</th>
                  <th scope="col">Pelapor</th>
                  <th scope="col">Rata-rata per hari</th>
                  <th scope="col">Rata-rata hari penanganan</th>
                  <th scope="col">Lewat batas verifikasi</th>
                  <th scope="col">Lewat batas penyelesaian</th>
                </tr>
              </thead>
              <tbody>
                {data.periods.months.map((month) => (
                  <tr>
                    <th scope="row">{formatMonth(month.month)}</th>
                    <td class="num">{formatCount(month.received)}</td>
                    <td class="num">{formatCount(month.reporters)}</td>
                    <td class="num">{formatDecimal(month.averageReportsPerDay ?? 0)}</td>
                    <td class="num">{formatDecimal(month.averageHandlingDays ?? 0)}</td>
                    <td class="num">{formatCount(month.slaBreaches?.verification ?? 0)}</td>
                    <td class="num">{formatCount(month.slaBreaches?.completion ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
