import { generateTrackingId, type Actor, type ComplaintEvent, type IndonesianTimeZone } from '@lapor/domain';
import { ComplaintLife } from './complaint-life';
import type { BenchOrganisation } from './organisation';
import { Random } from './random';
import type { WorkingTime } from './working-time';

// The complaints of 2025 and 2026 and how they went: most verified, disposed, followed up,
// answered back and forth, closed and rated; some postponed (Tunda), archived, handed back as
// Bukan Wewenang and disposed again, late enough to leave SLA reminders and breaches, or still
// open at the end of 2026. Shares are loosely after the seed reports: Arsip and Tunda a few per
// cent each, most of the rest Selesai.

const NATIONAL_ZONE: IndonesianTimeZone = 'Asia/Jakarta';
const OFFICE_START = 8 * 60;
const OFFICE_MINUTES = 8 * 60;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const FIRST_FOLLOW_UP_DAYS = 5;
const AUTO_CLOSE_DAYS = 10;
const MISSING_DATA_DAYS = 10;

const TITLES = [
  'Jalan berlubang di depan sekolah',
  'Lampu penerangan jalan mati sepanjang satu kilometer',
  'Pungutan liar saat mengurus KTP elektronik',
  'Antrean BPJS di RSUD sampai sore',
  'Bantuan sosial tidak sampai ke warga yang berhak',
  'Sampah menumpuk di pasar tradisional',
  'Guru honorer belum menerima gaji tiga bulan',
  'Drainase tersumbat, rumah warga kebanjiran',
  'Izin usaha tidak selesai sesuai janji layanan',
  'Angkutan umum menaikkan tarif tanpa pemberitahuan',
];
const CATEGORIES = ['Infrastruktur', 'Kesehatan', 'Pendidikan', 'Kependudukan', 'Sosial', 'Lingkungan Hidup', 'Perhubungan', 'Perizinan'];
const DESCRIPTION =
  'Kejadian ini sudah berlangsung beberapa minggu dan sudah kami sampaikan ke kelurahan, tetapi belum ada tanggapan. ' +
  'Warga sekitar sangat dirugikan, terutama anak-anak dan lansia. Mohon segera ditindaklanjuti oleh instansi yang berwenang.';
const ARCHIVE_REASONS = ['SPAM', 'DUPLICATE', 'NOT_PUBLIC_SERVICE', 'INCOMPLETE'] as const;
const RATINGS = [1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5];

export interface Chronology {
  readonly org: BenchOrganisation;
  readonly time: WorkingTime;
  readonly seed: number;
  /** Complaints are received from `start` until `horizon`; nothing happens after `horizon`. */
  readonly start: number;
  readonly horizon: number;
  /** What the reporter writes; by default one of ten titles and one description. */
  readonly text?: (rng: Random) => { readonly title: string; readonly description: string };
}

const admin = (nodeId: string, rng: Random): Actor =>
  nodeId === 'nasional'
    ? { role: 'admin_nasional', id: `admin-nasional-${rng.int(1, 6)}`, nodeId }
    : { role: 'admin_instansi', id: `admin-${nodeId}-${rng.int(1, 3)}`, nodeId };
const liaison = (unitId: string): Actor => ({ role: 'liaison', id: `pp-${unitId}`, nodeId: unitId });

/** Working days a step waits: mostly soon, sometimes late. */
const delay = (rng: Random, usual: number, late: number, lateShare: number): number => (rng.chance(lateShare) ? rng.int(usual + 1, late) : rng.int(0, usual));

export function tellComplaint(index: number, chronology: Chronology): ComplaintEvent[] {
  const { org, time, horizon } = chronology;
  const rng = Random.forItem(chronology.seed, index);
  const { tree } = org;
  const instansi = org.instansi[rng.weighted(org.instansiWeights)]!;
  const zone = instansi.zone;
  const viaNasional = rng.chance(0.1);
  const door = viaNasional ? 'nasional' : instansi.id;
  const doorZone = viaNasional ? NATIONAL_ZONE : zone;
  const kindRoll = rng.next();
  const kind = kindRoll < 0.05 ? 'aspirasi' : kindRoll < 0.08 ? 'permintaan_informasi' : 'pengaduan';
  const typedIn = rng.chance(0.2);
  const reporter: Actor = { role: 'reporter', id: `reporter-${rng.int(1, 400_000)}`, nodeId: null };
  const life = new ComplaintLife(rng.uuid(), horizon, () => rng.uuid());

  // staff act on working days in office hours; the reporter and the scheduler at any time
  const staffAt = (zoneOf: IndonesianTimeZone, workingDays: number): number => {
    const day = time.workingDayAfter(time.dayOf(life.last, zoneOf), workingDays, zoneOf);
    const at = time.at(day, OFFICE_START + rng.int(0, OFFICE_MINUTES), zoneOf);
    return at > life.last ? at : life.last + rng.int(5, 90) * 60_000;
  };
  const anyTimeAt = (minDays: number, maxDays: number): number => life.last + rng.int(minDays * 24, maxDays * 24) * HOUR_MS + rng.int(1, 59) * 60_000;

  // a letter is typed in on the next working day, so it arrives a week before the horizon at the latest
  const received = chronology.start + Math.floor(rng.next() * (horizon - chronology.start - (typedIn ? 7 * DAY_MS : 0)));
  const doorAdmin = admin(door, rng);
  life.last = received;
  life.submit(
    {
      trackingId: generateTrackingId((size) => rng.bytes(size)),
      kind,
      channel: typedIn ? 'letter' : rng.chance(0.55) ? 'web' : 'mobile_app',
      // drawn here, in the order the draws always came, so the default data set stays what it was
      ...(chronology.text?.(rng) ?? { title: rng.pick(TITLES), description: DESCRIPTION }),
      occurredOn: new Date(received - rng.int(0, 30) * DAY_MS).toISOString().slice(0, 10),
      location: `Kelurahan ${rng.int(1, 80)}, ${tree.node(instansi.id).name}`,
      attachments: [],
      addressedTo: tree.nodeRef(door),
      reporter: null,
      reporterRef: typedIn ? null : reporter.id,
      anonymous: false,
      confidential: false,
      externalReference: typedIn ? `B/${rng.int(100, 999)}/${rng.int(1, 12)}/2025` : null,
    },
    typedIn ? doorAdmin : reporter,
    typedIn ? staffAt(doorZone, 0) : received,
  );
  const speaker = typedIn ? doorAdmin : reporter;

  // telaah and verification at the door
  const decision = rng.next();
  const verifyAt = staffAt(doorZone, delay(rng, 3, 8, 0.06));
  if (decision < 0.06) return life.archive(rng.pick(ARCHIVE_REASONS), doorAdmin, verifyAt).events;
  if (decision < 0.12) {
    life.postpone(doorAdmin, verifyAt);
    const outcome = rng.next();
    if (outcome < 0.15) return life.events; // still waiting for the reporter
    if (outcome < 0.55) return life.timeOut(time.deadline(life.last, MISSING_DATA_DAYS, doorZone) + rng.int(1, 60) * 60_000).events;
    life.supply(speaker, anyTimeAt(1, 8)).verify(rng.pick(CATEGORIES), doorAdmin, staffAt(doorZone, rng.int(0, 2)));
  } else if (kind === 'aspirasi' && rng.chance(0.6)) {
    return life.answer(doorAdmin, verifyAt).events;
  } else {
    life.verify(rng.pick(CATEGORIES), doorAdmin, verifyAt);
  }

  // disposition down the tree: nasional to the instansi, the instansi to one of its units
  if (viaNasional) life.dispose(tree.nodeRef(instansi.id), doorAdmin, staffAt(NATIONAL_ZONE, rng.int(0, 1)));
  const instansiAdmin = admin(instansi.id, rng);
  let unit = instansi.units[rng.weighted(org.unitWeights)]!;
  life.dispose(tree.nodeRef(unit), instansiAdmin, staffAt(zone, rng.int(0, 2)));

  // Bukan Wewenang: the unit hands it back, sometimes after a first look, and it goes elsewhere
  if (rng.chance(0.07)) {
    if (rng.chance(0.3)) life.followUp(liaison(unit), staffAt(zone, rng.int(1, 4)));
    life.giveBack(tree.nodeRef(instansi.id), liaison(unit), staffAt(zone, rng.int(1, 5)));
    const wrong = unit;
    while (unit === wrong) unit = instansi.units[rng.weighted(org.unitWeights)]!;
    life.dispose(tree.nodeRef(unit), instansiAdmin, staffAt(zone, rng.int(0, 3)));
  }

  // the first follow-up, with the scheduler's reminder and breach when it comes late
  const assignedAt = life.last;
  const dueAt = time.deadline(assignedAt, FIRST_FOLLOW_UP_DAYS, zone);
  const stuck = rng.chance(0.03);
  const firstFollowUpAt = staffAt(zone, delay(rng, 3, 15, 0.2));
  const reminderAt = time.at(time.dayOf(dueAt, zone), 7 * 60, zone);
  if (stuck || firstFollowUpAt > reminderAt) life.remind('first_follow_up', assignedAt, dueAt, reminderAt);
  if (stuck || firstFollowUpAt > dueAt)
    life.breach('first_follow_up', assignedAt, dueAt, 1, time.at(time.workingDayAfter(time.dayOf(dueAt, zone), 1, zone), 30, zone));
  if (stuck) return life.events;
  life.followUp(liaison(unit), Math.max(firstFollowUpAt, life.last + 60_000));
  if (rng.chance(0.45)) life.followUp(liaison(unit), staffAt(zone, rng.int(2, 10)));

  // the conversation: the reporter answers back, the unit follows up again
  for (let round = 0; round < 3 && rng.chance(round === 0 ? 0.7 : 0.4); round++) {
    life.reply(speaker, typedIn ? staffAt(zone, rng.int(1, 5)) : anyTimeAt(1, 6));
    if (rng.chance(0.04)) return life.events; // the unit owes an answer still
    life.followUp(liaison(unit), staffAt(zone, rng.int(1, 7)));
  }

  // the auto-close after quiet working days, then perhaps a rating
  life.complete(time.deadline(life.last, AUTO_CLOSE_DAYS, zone) + rng.int(1, 30) * 60_000);
  if (!typedIn && rng.chance(0.7)) life.rate(rng.pick(RATINGS), reporter, anyTimeAt(0, 10));
  return life.events;
}
