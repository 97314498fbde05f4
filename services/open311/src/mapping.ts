import {
  ARCHIVE_REASON_LABELS,
  KIND_LABELS,
  STATUS_LABELS,
  type Complaint,
  type ComplaintEvent,
  type ComplaintStatus,
  type OrganisationTree,
} from '@lapor/domain';
import { PUBLIC_EVENT_LABELS } from '@lapor/submission';
import type { Open311Request } from './schemas';

// Our complaints as GeoReport v2 service requests: pure, so every rule here is specified.

// ---------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------

/** Open311 knows open and closed: completed (Selesai) and archived (Arsip) are closed, the rest is still being handled. */
export const OPEN311_STATUS: Readonly<Record<ComplaintStatus, 'open' | 'closed'>> = {
  BELUM_TERVERIFIKASI: 'open',
  BELUM_DITINDAKLANJUTI: 'open',
  PROSES: 'open',
  TUNDA: 'open',
  SELESAI: 'closed',
  ARSIP: 'closed',
};

/** Where it stands, as an officer would say it: the status, the latest public step, and why it was archived. */
export function statusNotes(complaint: Complaint, events: readonly ComplaintEvent[]): string {
  const status = STATUS_LABELS[complaint.status];
  // the latest step that says more than the status itself ("Selesai: Aspirasi dijawab", not "Selesai: Selesai")
  const step = [...events]
    .reverse()
    .map((event) => PUBLIC_EVENT_LABELS[event.type])
    .find((label) => label !== undefined && label !== status);
  const reason = complaint.status === 'ARSIP' && complaint.archiveReason ? ` (${ARCHIVE_REASON_LABELS[complaint.archiveReason]})` : '';
  return `${status}${step ? `: ${step}` : ''}${reason}`;
}

/** The body answering for it now: the unit it was disposed to, else its instansi, else the door it came in by. */
export function agencyResponsible(complaint: Complaint, tree: OrganisationTree): string {
  const nodeId = complaint.assignedUnit?.id ?? complaint.instansiId ?? complaint.holder.id;
  return tree.has(nodeId) ? tree.node(nodeId).name : nodeId;
}

// ---------------------------------------------------------------------------
// Place: our complaints keep one short text; Open311 sends an address and coordinates
// ---------------------------------------------------------------------------

export interface Place {
  readonly address: string | null;
  readonly lat: number | null;
  readonly long: number | null;
}

const COORDINATES = /^(.*?)\s*\[(-?\d{1,2}(?:\.\d+)?), (-?\d{1,3}(?:\.\d+)?)\]$/;
const round = (value: number): number => Math.round(value * 1e6) / 1e6;

/** "Jl. Soekarno-Hatta, Kupang [-10.1772, 123.607]": readable by staff, and read back by `decodePlace`. */
export function encodePlace(place: Place): string | null {
  const coordinates = place.lat !== null && place.long !== null ? `[${round(place.lat)}, ${round(place.long)}]` : null;
  const text = [place.address, coordinates].filter((part): part is string => part !== null && part !== '').join(' ');
  return text === '' ? null : text;
}

export function decodePlace(location: string | null): Place {
  if (location === null) return { address: null, lat: null, long: null };
  const match = COORDINATES.exec(location);
  if (!match) return { address: location, lat: null, long: null };
  const [, address, lat, long] = match as unknown as [string, string, string, string];
  return { address: address === '' ? null : address, lat: Number(lat), long: Number(long) };
}

/** Decimal places an anonymous complaint's coordinates keep: 0.1° is about 11 km, the size of a kecamatan. */
const AREA_DECIMALS = 1;

/**
 * Where an anonymous complaint is, as the public may see it: no address (free text, often the
 * reporter's own street) and coordinates rounded to the kecamatan scale, so a map still shows the
 * area a problem is in and never the house it was reported from.
 */
export function publicArea(place: Place): Place {
  const coarse = (value: number | null) => (value === null ? null : Number(value.toFixed(AREA_DECIMALS)));
  return { address: null, lat: coarse(place.lat), long: coarse(place.long) };
}

// ---------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------

const TITLE_LENGTH = 120;

/** Open311 has no title: ours is the description's first line, cut at a word near 120 characters. */
export function titleFromDescription(description: string): string {
  const firstLine = description.trim().split(/\r?\n/)[0]!.replace(/\s+/g, ' ').trim();
  if (firstLine.length <= TITLE_LENGTH) return firstLine;
  const cut = firstLine.slice(0, TITLE_LENGTH - 1);
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > TITLE_LENGTH / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
}

/**
 * A phone number as people type it in Indonesia (0812…, 62812…, +62 812-…) in E.164, or null when
 * it cannot be one. Other countries' numbers pass when written with their + prefix.
 */
export function normalisePhone(raw: string): string | null {
  const compact = raw.replace(/[\s().-]/g, '');
  const e164 = compact.startsWith('+') ? compact : compact.startsWith('62') ? `+${compact}` : compact.startsWith('0') ? `+62${compact.slice(1)}` : null;
  return e164 !== null && /^\+[1-9]\d{7,14}$/.test(e164) ? e164 : null;
}

// ---------------------------------------------------------------------------
// A complaint as a service request
// ---------------------------------------------------------------------------

/**
 * What the public may read of a complaint, in GeoReport v2 terms. The caller has checked that it
 * may be shown at all (not confidential); nothing here says who reported it or what they wrote
 * beyond the title the public tracking page shows too, nor, when anonymous, where exactly.
 */
export function toOpen311Request(complaint: Complaint, events: readonly ComplaintEvent[], tree: OrganisationTree): Open311Request {
  const submitted = events.find((event) => event.type === 'ComplaintSubmitted');
  const lastPublic = [...events].reverse().find((event) => PUBLIC_EVENT_LABELS[event.type] !== undefined);
  const reported = decodePlace(submitted?.type === 'ComplaintSubmitted' ? submitted.data.location : null);
  // as the reporter asked, even before verification confirms it
  const place = complaint.anonymous || complaint.requestedProtection.anonymous ? publicArea(reported) : reported;
  return {
    service_request_id: complaint.trackingId,
    status: OPEN311_STATUS[complaint.status],
    status_notes: statusNotes(complaint, events),
    service_name: KIND_LABELS[complaint.kind],
    service_code: complaint.kind,
    description: submitted?.type === 'ComplaintSubmitted' ? submitted.data.title : null,
    agency_responsible: agencyResponsible(complaint, tree),
    service_notice: null,
    requested_datetime: complaint.receivedAt,
    updated_datetime: lastPublic?.data.at ?? complaint.receivedAt,
    expected_datetime: null,
    address: place.address,
    address_id: null,
    zipcode: null,
    lat: place.lat,
    long: place.long,
    media_url: null,
  };
}

/** What the submitter is told at once (service_notice). */
export const submissionNotice = (trackingId: string): string =>
  `Laporan diterima dengan Tracking ID ${trackingId}. Laporan diverifikasi dalam 3 hari kerja, lalu diteruskan ke instansi yang berwenang.`;
