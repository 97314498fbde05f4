import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount, formatDecimal } from './format';
import { PeriodPicker, type Period } from './period';
import { api, problemText, type Session } from './session';

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

async function loadAll(nodeId: string, period: Period) {
  const query = { nodeId, from: period.from, to: period.to };
  const [recap, periods, breaches, routing, topics] = await Promise.all([
    api.GET('/statistics/recap', { params: { query: { ...query, ...(period.asOf ? { asOf: period.asOf } : {}) } } }),
    api.GET('/statistics/periods', { params: { query } }),
    api.GET('/statistics/breaches', { params: { query } }),
    api.GET('/statistics/routing', { params: { query } }),
    api.GET('/statistics/topics', { params: { query } }),
  ]);
  const failed = [recap, periods, breaches, routing, topics].find((answer) => answer.error !== undefined);
  if (failed) return problemText(failed.error, 'Data grafik tidak dapat dibaca.');
  return { recap: recap.data!, periods: periods.data!, breaches: breaches.data!, routing: routing.data!, topics: topics.data! };
}
type Loaded = Exclude<Awaited<ReturnType<typeof loadAll>>, string>;

/** Grafik: complaints per month, %TL per unit slowest first, SLA breaches by stage, routing, topics per unit. */
export function ChartsPage(props: { session: Session; period: Period; onPeriod: (period: Period) => void }) {
  const [data, setData] = useState<Loaded | string | undefined>();
  useEffect(() => {
    void loadAll(props.session.nodeId, props.period).then(setData);
  }, [props.period.from, props.period.to, props.period.asOf]);
  return (
    <section aria-labelledby="charts-title">
      <h1 id="charts-title">Grafik</h1>
      <PeriodPicker period={props.period} zone={props.session.zone} onChange={props.onPeriod} />
      {typeof data === 'string' && (
        <p role="alert" class="error">
          {data}
        </p>
      )}
      {data && typeof data !== 'string' && <Charts data={data} />}
    </section>
  );
}

function Charts({ data }: { data: Loaded }) {
  const units = data.recap.below.filter((row) => row.total > 0).sort((a, b) => a.persenTindakLanjut - b.persenTindakLanjut);
  const stages: [string, number][] = [
    ['Verifikasi', data.breaches.total.verification],
    ['Tindak lanjut pertama', data.breaches.total.firstFollowUp ?? 0],
    ['Penyelesaian', data.breaches.total.completion],
  ];
  const most = Math.max(1, ...stages.map(([, value]) => value));
  return (
    <div class="charts">
      <figure>
        <figcaption>Pengaduan diterima dan selesai per bulan</figcaption>
        <MonthlyChart months={data.periods.months} />
      </figure>
      <figure>
        <figcaption>%TL per unit, paling lambat lebih dulu</figcaption>
        {units.length === 0 && <p>Belum ada pengaduan pada periode ini.</p>}
        <ul class="hbars">
          {units.map((row) => (
            <li>
              <span class="label">{row.name}</span>
              <span class="bar wide" aria-hidden="true">
                <span style={{ width: `${Math.min(100, row.persenTindakLanjut)}%` }} />
              </span>
              <span class="num">{formatDecimal(row.persenTindakLanjut)}%</span>
            </li>
          ))}
        </ul>
      </figure>
      <figure>
        <figcaption>Pelanggaran batas waktu (SLA) per tahap</figcaption>
        <ul class="hbars">
          {stages.map(([name, value]) => (
            <li>
              <span class="label">{name}</span>
              <span class="bar wide breach" aria-hidden="true">
                <span style={{ width: `${(value / most) * 100}%` }} />
              </span>
              <span class="num">{formatCount(value)}</span>
            </li>
          ))}
        </ul>
      </figure>
      <figure>
        <figcaption>Salah alamat: perpindahan dan pengembalian</figcaption>
        <dl class="facts">
          <dt>Pengaduan</dt>
          <dd>{formatCount(data.routing.total.complaints)}</dd>
          <dt>Dipindahkan</dt>
          <dd>{formatCount(data.routing.total.rerouted)}</dd>
          <dt>Rata-rata perpindahan per pengaduan</dt>
          <dd>{formatDecimal(data.routing.total.averageHopsPerComplaint ?? 0)}</dd>
          <dt>Rata-rata hari hilang per pengembalian</dt>
          <dd>{formatDecimal(data.routing.total.averageDaysLostPerReturn ?? 0)}</dd>
        </dl>
        <RoutingTable rows={data.routing.below} />
      </figure>
      <figure>
        <figcaption>Topik per unit</figcaption>
        <ul>
          {data.topics.rows
            .filter((row) => row.total > 0)
            .map((row) => (
              <li>
                <strong>{row.name}</strong>: {row.topics.map((topic) => `${topic.category} (${formatCount(topic.count)})`).join(', ') || '–'}
              </li>
            ))}
        </ul>
      </figure>
    </div>
  );
}

function MonthlyChart({ months }: { months: Loaded['periods']['months'] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const x = months.map((_, index) => index);
    const chart = new uPlot(
      {
        width: Math.min(640, box.current.clientWidth || 640),
        height: 240,
        scales: { x: { time: false } },
        legend: { show: false },
        axes: [{ values: (_, ticks) => ticks.map((tick) => MONTH_NAMES[Number(months[tick]?.month.slice(5, 7)) - 1] ?? '') }, {}],
        series: [
          {},
          { label: 'Diterima', stroke: '#0b4f8a', width: 2, points: { show: true } },
          // dashed as well as green: the two lines part without colour
          { label: 'Selesai', stroke: '#1a7f37', width: 2, dash: [6, 4], points: { show: true } },
        ],
      },
      [x, months.map((month) => month.received), months.map((month) => month.completed)],
      box.current,
    );
    return () => chart.destroy();
  }, [months]);
  return (
    <>
      <div
        ref={box}
        class="chart"
        role="img"
        aria-label={`Diterima dan selesai per bulan: ${months.map((month) => `${month.month} diterima ${month.received}, selesai ${month.completed}`).join('; ')}`}
      />
      <p class="legend">
        <span class="swatch received" aria-hidden="true" /> Diterima <span class="swatch completed" aria-hidden="true" /> Selesai
      </p>
    </>
  );
}

/** "No wrong door" per unit below: dispositions that reached it, returned as Bukan Wewenang, and what each return cost. */
function RoutingTable({ rows }: { rows: Loaded['routing']['below'] }) {
  const reached = rows.filter((row) => row.dispositionsReceived > 0).sort((a, b) => b.bounceRate - a.bounceRate);
  if (reached.length === 0) return <p>Belum ada disposisi pada periode ini.</p>;
  return (
    <div class="table-wrap">
      <table class="routing">
        <caption>Salah alamat per unit, pengembalian terbanyak lebih dulu</caption>
        <thead>
          <tr>
            <th scope="col">Unit</th>
            <th scope="col">Disposisi diterima</th>
            <th scope="col">Dikembalikan (Bukan Wewenang)</th>
            <th scope="col">% dikembalikan</th>
            <th scope="col">Rata-rata hari hilang per pengembalian</th>
          </tr>
        </thead>
        <tbody>
          {reached.map((row) => (
            <tr>
              <th scope="row">{row.name}</th>
              <td class="num">{formatCount(row.dispositionsReceived)}</td>
              <td class="num">{formatCount(row.returned)}</td>
              <td class="num">{formatDecimal(row.bounceRate)}%</td>
              <td class="num">{formatDecimal(row.averageDaysLostPerReturn)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
