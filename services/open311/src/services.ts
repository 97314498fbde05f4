import { KIND_LABELS, type ComplaintKind } from '@lapor/domain';

// The Open311 services are our kinds of submission. Categories are not offered: the verifying
// admin sets a complaint's category as free text (packages/domain: VerifyComplaint.category), so
// there is no fixed catalogue a citizen could pick from, and a code chosen at submission would
// have nowhere to live. Whistle-blowing (WBS) is not offered either: a WBS report is always
// confidential, so it could never be read back through this public facade; it has its own door.

/** An Open311 service as GET services.json lists it (GeoReport v2). */
export interface Open311Service {
  readonly service_code: OfferedKind;
  readonly service_name: string;
  readonly description: string;
  /** No service asks for more than a description and a place (no attributes). */
  readonly metadata: false;
  /** The service_request_id (our tracking id) comes back at once. */
  readonly type: 'realtime';
  /** Comma-separated, as the specification's JSON shows them. */
  readonly keywords: string;
  readonly group: string;
}

export type OfferedKind = Exclude<ComplaintKind, 'wbs'>;

const GROUP = 'SP4N-LAPOR!';

export const OPEN311_SERVICES: readonly Open311Service[] = [
  {
    service_code: 'pengaduan',
    service_name: KIND_LABELS.pengaduan,
    description:
      'Keluhan atas penyelenggaraan pelayanan publik: jalan dan jembatan rusak, pungutan liar, layanan kesehatan, pendidikan, ' +
      'kependudukan, air bersih, perizinan. Diverifikasi dalam 3 hari kerja lalu diteruskan ke instansi yang berwenang.',
    metadata: false,
    type: 'realtime',
    keywords: 'keluhan, pelayanan publik, jalan rusak, pungli, infrastruktur, kesehatan, pendidikan, air bersih',
    group: GROUP,
  },
  {
    service_code: 'aspirasi',
    service_name: KIND_LABELS.aspirasi,
    description: 'Saran, usulan atau masukan untuk perbaikan pelayanan publik dan kebijakan pemerintah.',
    metadata: false,
    type: 'realtime',
    keywords: 'saran, usulan, masukan, aspirasi',
    group: GROUP,
  },
  {
    service_code: 'permintaan_informasi',
    service_name: KIND_LABELS.permintaan_informasi,
    description: 'Permintaan informasi tentang pelayanan publik: persyaratan, prosedur, biaya, jadwal. Dijawab dalam 5 hari kerja.',
    metadata: false,
    type: 'realtime',
    keywords: 'informasi, pertanyaan, persyaratan, prosedur',
    group: GROUP,
  },
];

export const serviceFor = (code: string): Open311Service | undefined => OPEN311_SERVICES.find((service) => service.service_code === code);
