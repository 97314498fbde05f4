import { formatDateTime, localNow, zonedInstant, type Zone } from './format';

// The period ("Periode": a year, a month, or from–"s.d."–to) and "Keadaan per" (as of a moment, or now).
export interface Period {
  readonly from: string;
  readonly to: string;
  /** ISO instant, or undefined for now. */
  readonly asOf: string | undefined;
}

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

export function yearPeriod(year: number): Period {
  return { from: `${year}-01-01`, to: `${year}-12-31`, asOf: undefined };
}

function monthPeriod(year: number, month: number): Period {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${last}`, asOf: undefined };
}

export function PeriodPicker(props: { period: Period; zone: Zone; onChange: (period: Period) => void }) {
  const { period, zone, onChange } = props;
  const year = Number(period.from.slice(0, 4));
  const now = localNow(zone);
  const years = Array.from({ length: 6 }, (_, index) => Number(now.day.slice(0, 4)) - index);
  const asOfDay = period.asOf ? localDay(period.asOf, zone) : '';
  return (
    <fieldset class="pickers">
      <legend>Periode dan keadaan</legend>
      <label>
        Tahun
        <select name="year" value={String(year)} onChange={(event) => onChange({ ...yearPeriod(Number(event.currentTarget.value)), asOf: period.asOf })}>
          {years.map((option) => (
            <option value={String(option)}>{option}</option>
          ))}
        </select>
      </label>
      <label>
        Bulan
        <select
          name="month"
          value=""
          onChange={(event) => {
            const month = Number(event.currentTarget.value);
            onChange(month ? { ...monthPeriod(year, month), asOf: period.asOf } : { ...yearPeriod(year), asOf: period.asOf });
          }}
        >
          <option value="">Setahun penuh</option>
          {MONTHS.map((name, index) => (
            <option value={String(index + 1)}>{name}</option>
          ))}
        </select>
      </label>
      <label>
        Dari
        <input
          type="date"
          name="from"
          value={period.from}
          onChange={(event) => event.currentTarget.value && onChange({ ...period, from: event.currentTarget.value })}
        />
      </label>
      <label>
        s.d.
        <input
          type="date"
          name="to"
          value={period.to}
          onChange={(event) => event.currentTarget.value && onChange({ ...period, to: event.currentTarget.value })}
        />
      </label>
      <label>
        Keadaan per ({formatZone(zone)})
        <input
          type="date"
          name="asOf"
          value={asOfDay}
          onChange={(event) => {
            const day = event.currentTarget.value;
            // the end of the chosen day in the instansi's zone: "keadaan per 31 Desember" counts that whole day
            onChange({ ...period, asOf: day ? zonedInstant(day, '23:59', zone) : undefined });
          }}
        />
      </label>
      <p class="as-of" aria-live="polite">
        Keadaan per: {period.asOf ? formatDateTime(period.asOf, zone) : 'saat ini'}
      </p>
    </fieldset>
  );
}

const formatZone = (zone: Zone) => ({ 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' })[zone];

function localDay(iso: string, zone: Zone): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}
