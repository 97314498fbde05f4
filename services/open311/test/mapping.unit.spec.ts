import {
  buildOrganisationTree,
  complaintDecider,
  ComplaintStatus,
  DomainError,
  type Actor,
  type Complaint,
  type ComplaintEvent,
  type OrganisationNode,
} from '@lapor/domain';
import { HttpProblem } from '@lapor/http-kit';
import { Open311Error, open311ErrorOf } from '../src/errors';
import { submissionFromPost } from '../src/from-post';
import { decodePlace, encodePlace, normalisePhone, OPEN311_STATUS, statusNotes, titleFromDescription, toOpen311Request } from '../src/mapping';
import { OPEN311_SERVICES } from '../src/services';

const NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional SP4N-LAPOR!', parentId: null },
  { kind: 'instansi', id: 'ntt', name: 'Pemerintah Provinsi NTT', parentId: 'nasional', timeZone: 'Asia/Makassar' },
  { kind: 'unit', id: 'pupr', name: 'Dinas PUPR', parentId: 'ntt' },
];
const tree = buildOrganisationTree(NODES);
const system: Actor = { role: 'integration', id: 'key-1', nodeId: 'ntt' };
const admin: Actor = { role: 'admin_instansi', id: 'admin-ntt', nodeId: 'ntt' };
const at = (minute: number) => `2026-03-02T0${Math.floor(minute / 60)}:${String(minute % 60).padStart(2, '0')}:00.000Z`;

const submitted: ComplaintEvent = {
  type: 'ComplaintSubmitted',
  schemaVersion: 2,
  data: {
    complaintId: '0b0c7e1e-6f0a-4c55-9f61-2b7e4a1d9c30',
    trackingId: 'LAP-2345678923',
    kind: 'pengaduan',
    channel: 'integration',
    title: 'Jalan berlubang di depan pasar',
    description: 'Jalan berlubang di depan pasar Oeba. Nama saya Maria, rumah saya di sebelah pasar.',
    occurredOn: null,
    location: 'Jl. Soekarno-Hatta, Kupang [-10.1772, 123.607]',
    attachments: [],
    addressedTo: tree.nodeRef('ntt'),
    reporter: { sealed: 'c2VhbGVk', keyId: 'k1' },
    reporterRef: null,
    anonymous: false,
    confidential: false,
    externalReference: null,
    at: at(0),
    by: system,
  },
};
const verified: ComplaintEvent = {
  type: 'ComplaintVerified',
  schemaVersion: 1,
  data: { slaClass: 'tanpa_pengawasan', category: 'Jalan', anonymous: false, confidential: false, note: null, at: at(5), by: admin },
};
const disposed: ComplaintEvent = {
  type: 'ComplaintDisposed',
  schemaVersion: 1,
  data: { from: tree.nodeRef('ntt'), to: tree.nodeRef('pupr'), tembusan: [], slaClass: 'tanpa_pengawasan', note: null, at: at(10), by: admin },
};
const archived: ComplaintEvent = {
  type: 'ComplaintArchived',
  schemaVersion: 1,
  data: { reason: 'DUPLICATE', note: 'sama dengan LAP-…', missingDataRequestId: null, at: at(6), by: admin },
};
const fold = (events: ComplaintEvent[]) => events.reduce(complaintDecider.evolve, complaintDecider.initialState()) as Complaint;

describe('statuses as Open311 sees them', () => {
  it('given each of our statuses, then Selesai and Arsip are closed and everything still being handled is open', () => {
    expect(ComplaintStatus.options.map((status) => [status, OPEN311_STATUS[status]])).toEqual([
      ['BELUM_TERVERIFIKASI', 'open'],
      ['BELUM_DITINDAKLANJUTI', 'open'],
      ['PROSES', 'open'],
      ['SELESAI', 'closed'],
      ['TUNDA', 'open'],
      ['ARSIP', 'closed'],
    ]);
  });

  it('given an archived complaint, then the notes say so in Bahasa Indonesia, with the reason but not the admin’s note', () => {
    const events = [submitted, verified, archived];
    expect(statusNotes(fold(events), events)).toBe('Arsip: Laporan diarsipkan (Duplikat)');
  });
});

describe('a complaint as a service request', () => {
  it('given a complaint disposed to a unit, then it is open, the unit is responsible, and the place is read back', () => {
    const events = [submitted, verified, disposed];
    expect(toOpen311Request(fold(events), events, tree)).toEqual({
      service_request_id: 'LAP-2345678923',
      status: 'open',
      status_notes: 'Belum Ditindaklanjuti: Didisposisikan ke instansi/unit terkait',
      service_name: 'Pengaduan',
      service_code: 'pengaduan',
      description: 'Jalan berlubang di depan pasar',
      agency_responsible: 'Dinas PUPR',
      service_notice: null,
      requested_datetime: at(0),
      updated_datetime: at(10),
      expected_datetime: null,
      address: 'Jl. Soekarno-Hatta, Kupang',
      address_id: null,
      zipcode: null,
      lat: -10.1772,
      long: 123.607,
      media_url: null,
    });
  });

  it('never carries what the reporter wrote or who they are: the description is the title', () => {
    const events = [submitted];
    const shown = JSON.stringify(toOpen311Request(fold(events), events, tree));
    expect(shown).not.toMatch(/Maria|sebelah pasar|c2VhbGVk/);
    expect(toOpen311Request(fold(events), events, tree)).toMatchObject({ status: 'open', agency_responsible: 'Pemerintah Provinsi NTT' });
  });
});

describe('an anonymous complaint in public', () => {
  it('given an anonymous complaint, then no address and its coordinates only to the kecamatan scale (0.1°, about 11 km)', () => {
    const anonymous: ComplaintEvent = {
      ...submitted,
      data: { ...submitted.data, location: 'Jl. Rumah Saya No. 7, Kupang [-10.17721, 123.60744]', anonymous: true },
    } as ComplaintEvent;
    const events = [anonymous, verified];
    const shown = toOpen311Request(fold(events), events, tree);
    expect(shown).toMatchObject({ address: null, lat: -10.2, long: 123.6 });
    expect(JSON.stringify(shown)).not.toMatch(/Rumah Saya|10\.177|123\.607/);
  });

  it('given one with a free-text location alone, then nothing of it shows', () => {
    const anonymous = { ...submitted, data: { ...submitted.data, location: 'Rumah saya di sebelah pasar Oeba', anonymous: true } } as ComplaintEvent;
    expect(toOpen311Request(fold([anonymous]), [anonymous], tree)).toMatchObject({ address: null, lat: null, long: null });
  });
});

describe('the place', () => {
  it('given an address and coordinates, then staff read both and they come back as sent', () => {
    const place = { address: 'Jl. El Tari, Kupang', lat: -10.15839, long: 123.60631 };
    expect(encodePlace(place)).toBe('Jl. El Tari, Kupang [-10.15839, 123.60631]');
    expect(decodePlace(encodePlace(place))).toEqual(place);
  });

  it('given coordinates alone, a free-text location, or none, then each reads back as itself', () => {
    expect(decodePlace(encodePlace({ address: null, lat: -8.5, long: 121 }))).toEqual({ address: null, lat: -8.5, long: 121 });
    expect(decodePlace('Depan kantor camat')).toEqual({ address: 'Depan kantor camat', lat: null, long: null });
    expect(decodePlace(null)).toEqual({ address: null, lat: null, long: null });
    expect(encodePlace({ address: null, lat: null, long: null })).toBeNull();
  });
});

describe('text and numbers people type', () => {
  it('makes a title of the first line, cut at a word near 120 characters', () => {
    expect(titleFromDescription('  Lampu jalan mati\nSudah seminggu.')).toBe('Lampu jalan mati');
    const long = 'Jalan provinsi yang menghubungkan Kupang dan Soe rusak parah sepanjang lima kilometer sehingga kendaraan sering terperosok di musim hujan';
    const title = titleFromDescription(long);
    expect(title.length).toBeLessThanOrEqual(120);
    expect(title.endsWith('…')).toBe(true);
    expect(long.startsWith(title.slice(0, -1))).toBe(true);
  });

  it.each([
    ['0812-3456-7890', '+6281234567890'],
    ['62 812 3456 7890', '+6281234567890'],
    ['+62 (812) 3456.7890', '+6281234567890'],
    ['+31 20 123 4567', '+31201234567'],
    ['12345', null],
    ['bukan nomor', null],
  ])('reads the phone number %s as %s', (raw, e164) => {
    expect(normalisePhone(raw)).toBe(e164);
  });
});

describe('a GeoReport POST as our submission', () => {
  const post = { service_code: 'pengaduan', description: 'Sampah menumpuk di pinggir jalan', lat: '-10.17', long: '123.6', address_string: 'Oebobo' };

  it('given a form with a place and a person, then a submission on the integration channel with the identity to seal', () => {
    expect(
      submissionFromPost({ ...post, first_name: 'Maria', last_name: 'Goreti', email: 'maria@example.id', phone: '081234567890', device_id: 'abc' }, 'ntt'),
    ).toEqual({
      kind: 'pengaduan',
      channel: 'integration',
      title: 'Sampah menumpuk di pinggir jalan',
      description: 'Sampah menumpuk di pinggir jalan',
      location: 'Oebobo [-10.17, 123.6]',
      addressedTo: 'ntt',
      reporter: { name: 'Maria Goreti', email: 'maria@example.id', phone: '+6281234567890' },
      anonymous: false,
      confidential: false,
    });
  });

  it('given empty form fields and JSON numbers, then empty means not sent', () => {
    const submission = submissionFromPost(
      { service_code: 'aspirasi', description: 'Tambah taman kota', lat: -10.2, long: 123.5, email: '', first_name: '' },
      'nasional',
    );
    expect(submission).toMatchObject({ kind: 'aspirasi', location: '[-10.2, 123.5]' });
    expect(submission.reporter).toBeUndefined();
  });

  it('given only a way to reach the reporter, then the identity has no name on record', () => {
    expect(submissionFromPost({ ...post, phone: '+6281234567890' }, 'ntt').reporter).toEqual({ name: 'Tidak disebutkan', phone: '+6281234567890' });
  });

  const refusals = (body: Parameters<typeof submissionFromPost>[0]): readonly string[] => {
    try {
      submissionFromPost(body, 'ntt');
    } catch (error) {
      if (error instanceof Open311Error && error.status === 400) return error.descriptions;
      throw error;
    }
    throw new Error('accepted');
  };

  it('given an unknown service or whistle-blowing, then 400 naming service_code', () => {
    expect(refusals({ ...post, service_code: 'pothole' })).toEqual([expect.stringMatching(/^service_code: pothole is not offered/)]);
    expect(refusals({ ...post, service_code: 'wbs' })).toEqual([expect.stringMatching(/^service_code: wbs/)]);
  });

  it('given no description, no place, half a coordinate, a bad e-mail and phone, then every problem at once', () => {
    expect(refusals({ service_code: 'pengaduan', description: ' ' })).toEqual([
      'description: say what happened; it is required.',
      expect.stringMatching(/^location:/),
    ]);
    expect(refusals({ ...post, long: '', address_string: '' })).toEqual([expect.stringMatching(/^lat and long:/)]);
    expect(refusals({ ...post, lat: '95' })).toEqual([expect.stringMatching(/^lat: a WGS84 latitude/)]);
    expect(refusals({ ...post, email: 'bukan-surel', phone: '123' })).toEqual([expect.stringMatching(/^phone:/), 'email: not an e-mail address.']);
  });

  it('offers our kinds but whistle-blowing, each realtime without attributes', () => {
    expect(OPEN311_SERVICES.map((service) => [service.service_code, service.type, service.metadata])).toEqual([
      ['pengaduan', 'realtime', false],
      ['aspirasi', 'realtime', false],
      ['permintaan_informasi', 'realtime', false],
    ]);
  });
});

describe('errors in the Open311 shape', () => {
  it('answers our own refusals, the shared problems and domain rules as [{code, description}] with their status', () => {
    expect(open311ErrorOf(new Open311Error(400, ['a', 'b']))).toEqual({
      status: 400,
      errors: [
        { code: 400, description: 'a' },
        { code: 400, description: 'b' },
      ],
    });
    // Open311 clients expect 403 for a key they must fix, not 401
    expect(open311ErrorOf(new HttpProblem(401, 'unauthorized', 'Unauthorized', 'no key'))).toEqual({
      status: 403,
      errors: [{ code: 403, description: 'no key' }],
    });
    expect(open311ErrorOf(new HttpProblem(403, 'forbidden', 'Forbidden', 'not on integration'))).toMatchObject({ status: 403 });
    expect(open311ErrorOf(new HttpProblem(429, 'rate-limited', 'Too Many Requests', 'slow down'))).toMatchObject({ status: 429 });
    expect(open311ErrorOf(new DomainError('OUTSIDE_SCOPE'))).toMatchObject({
      status: 403,
      errors: [{ code: 403, description: expect.stringMatching(/^OUTSIDE_SCOPE/) }],
    });
    expect(open311ErrorOf(new Error('boom'))).toEqual({ status: 500, errors: [{ code: 500, description: expect.any(String) }] });
  });
});
