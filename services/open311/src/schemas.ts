import { nameSchemas } from '@lapor/http-kit';
import { z } from 'zod';

// GeoReport v2 shapes (http://wiki.open311.org/GeoReport_v2). Field names are the specification's
// (snake_case), not ours: clients are written against it. Inputs are lenient objects, not strict
// ones as elsewhere in this API: Open311 clients send optional fields we have no use for
// (device_id, media_url, attribute[…]) and must not be refused for them.

/** The response format is part of the path (`requests.json`); only JSON is offered. */
export const Format = z.enum(['json']).describe('json: XML is not offered (answered 400)');

export const FormatParams = z.strictObject({ format: Format });
export const ServiceParams = z.strictObject({ service_code: z.string().min(1).max(100), format: Format });
export const RequestParams = z.strictObject({
  /** Our tracking id, e.g. LAP-7KQ2M9XH4D. */
  service_request_id: z.string().min(1).max(40),
  format: Format,
});

/** Accepted everywhere; on a GET it narrows to one instansi (our node id), on a POST it picks the addressee. */
const jurisdiction_id = z.string().max(100).optional();

export const JurisdictionQuery = z.object({ jurisdiction_id });

export const Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});

export const ServiceDefinition = z.object({
  service_code: z.string(),
  /** Always empty: no service asks for more than a description and a place. */
  attributes: z.array(z.object({ code: z.string() })),
});

/** A string or a number, as a form (always strings) or JSON (numbers) sends coordinates. */
const coordinate = z.union([z.number(), z.string().max(40)]).optional();
const field = (max: number) => z.string().max(max).optional();

export const PostRequestBody = z.object({
  /** The integrating system's key (as issued by POST /api-keys); the x-api-key header works too. Never in the URL: URLs are logged. */
  api_key: field(200),
  jurisdiction_id,
  service_code: z.string().min(1).max(100),
  description: field(10_000),
  lat: coordinate,
  long: coordinate,
  address_string: field(250),
  address_id: field(100),
  /** The reporter: sealed at once with the complaint's own key, never logged, never shown by this facade. */
  email: field(200),
  first_name: field(100),
  last_name: field(100),
  phone: field(40),
  /** Accepted and not used: we have no account or device registry to match them with. */
  device_id: field(200),
  account_id: field(200),
  media_url: field(2_000),
});
export type PostRequestBody = z.infer<typeof PostRequestBody>;

export const RequestCreated = z.array(
  z.object({
    service_request_id: z.string(),
    service_notice: z.string().nullable(),
    account_id: z.string().nullable(),
  }),
);

const commaList = (pattern: RegExp, what: string) => z.string().max(2_000).regex(pattern, what).optional();

/** The last page number a list of requests accepts: no Link points past it. */
export const MAX_PAGE = 10_000;

export const RequestsQuery = z.object({
  /** Comma-separated tracking ids (at most 100); overrides every other filter. */
  service_request_id: commaList(/^[A-Za-z0-9-]+(,[A-Za-z0-9-]+)*$/, 'comma-separated ids'),
  /** Comma-separated service codes. */
  service_code: commaList(/^[a-z_]+(,[a-z_]+)*$/, 'comma-separated service codes'),
  /** Requested at or after (ISO 8601 with an offset); default 90 days before end_date. */
  start_date: z.iso.datetime({ offset: true }).optional(),
  /** Requested at or before; default 90 days after start_date, else now. The span may not exceed 90 days. */
  end_date: z.iso.datetime({ offset: true }).optional(),
  /** open, closed, or both comma-separated (default). */
  status: commaList(/^(open|closed)(,(open|closed))*$/, 'open, closed, or open,closed'),
  jurisdiction_id,
  /** Extension: pages of page_size, newest first. */
  page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
  /** Extension: at most 500 a page (default 100). */
  page_size: z.coerce.number().int().min(1).max(500).default(100),
});
export type RequestsQuery = z.infer<typeof RequestsQuery>;

const ANONYMOUS_PLACE =
  'Where it was reported. For an anonymous complaint, no address and coordinates rounded to 0.1° (about 11 km, a kecamatan): never the place a reporter could be found at.';

export const Open311Request = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  /** Where it stands, in Bahasa Indonesia: the status and the latest public step. */
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  /** The complaint's title, as the public tracking page shows it; never the text the reporter wrote. */
  description: z.string().nullable(),
  /** The unit or instansi holding it now. */
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable().describe(ANONYMOUS_PLACE),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().nullable().describe(ANONYMOUS_PLACE),
  long: z.number().nullable().describe(ANONYMOUS_PLACE),
  media_url: z.string().nullable(),
});
export type Open311Request = z.infer<typeof Open311Request>;

export const Discovery = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({ specification: z.string(), url: z.string(), changeset: z.string(), type: z.enum(['production', 'test']), formats: z.array(z.string()) }),
  ),
});

// The names these shapes have in the API document (components.schemas), for generated clients.
/** GeoReport v2 answers lists as bare arrays; each operation's list keeps the name the document first gave it. */
export const ServiceList = Service.array();
export const RequestList = Open311Request.array();
export const RequestById = Open311Request.array();

const SERVICE_EXAMPLE = {
  service_code: 'pengaduan',
  service_name: 'Pengaduan',
  description: 'Pengaduan tentang pelayanan publik yang tidak sesuai standar',
  metadata: false,
  type: 'realtime',
  keywords: 'pengaduan,keluhan,layanan publik',
  group: 'SP4N-LAPOR!',
};

const OPEN311_REQUEST_EXAMPLE = {
  service_request_id: 'LAP-7KQ2M9XH4D',
  status: 'open',
  status_notes: 'Proses',
  service_name: 'Pengaduan',
  service_code: 'pengaduan',
  description: 'Lampu penerangan jalan padam di depan Pasar Oeba',
  agency_responsible: 'Pemerintah Provinsi Nusa Tenggara Timur',
  service_notice: null,
  requested_datetime: '2026-11-20T09:15:00+08:00',
  updated_datetime: '2026-11-23T11:40:00+08:00',
  expected_datetime: null,
  address: 'Jalan Ahmad Yani, Kota Kupang',
  address_id: null,
  zipcode: null,
  lat: -10.1577,
  long: 123.6044,
  media_url: null,
};

nameSchemas(
  {
    Service,
    ServiceDefinition,
    PostRequestBody,
    RequestCreated,
    Open311Request,
    Discovery,
    ListOpen311ServicesAnswer: ServiceList,
    ListOpen311RequestsAnswer: RequestList,
    GetOpen311RequestAnswer: RequestById,
  },
  {
    ListOpen311ServicesAnswer: {
      description: 'The GeoReport v2 services: one per kind of report a citizen may file here',
      examples: [
        [
          SERVICE_EXAMPLE,
          {
            service_code: 'aspirasi',
            service_name: 'Aspirasi',
            description: 'Usulan dan saran untuk perbaikan pelayanan publik',
            metadata: false,
            type: 'realtime',
            keywords: 'aspirasi,usulan,saran',
            group: 'SP4N-LAPOR!',
          },
        ],
      ],
    },
    ListOpen311RequestsAnswer: {
      description: 'Public, non-confidential requests, newest first, as a bare GeoReport v2 array',
      examples: [[OPEN311_REQUEST_EXAMPLE]],
    },
    GetOpen311RequestAnswer: {
      description: 'The one request asked for, as a GeoReport v2 list of one',
      examples: [[OPEN311_REQUEST_EXAMPLE]],
    },
    ServiceDefinition: {
      description: 'What a service asks for beyond a description and a place: nothing, so attributes is always empty',
      examples: [{ service_code: 'pengaduan', attributes: [] }],
    },
    Discovery: {
      description: 'GeoReport v2 discovery: who to contact, how to get an API key, and where the endpoint is',
      examples: [
        {
          changeset: '2026-11-23T00:00:00Z',
          contact: 'Admin Nasional SP4N-LAPOR! (https://www.lapor.go.id)',
          key_service: 'API keys are issued by the administrator of your instansi (POST /api-keys, channel integration).',
          endpoints: [
            {
              specification: 'http://wiki.open311.org/GeoReport_v2',
              url: 'https://api.lapor.example/open311/v2',
              changeset: '2026-11-23T00:00:00Z',
              type: 'production',
              formats: ['application/json'],
            },
          ],
        },
      ],
    },
    PostRequestBody: {
      description: 'A GeoReport v2 service request, as an Open311 client posts it (form-encoded or JSON)',
      examples: [
        {
          service_code: 'pengaduan',
          description: 'Lampu penerangan jalan padam sejak seminggu di depan Pasar Oeba.',
          lat: -10.1577,
          long: 123.6044,
          address_string: 'Jalan Ahmad Yani, Kota Kupang',
          first_name: 'Warga',
          last_name: 'Contoh',
          phone: '+6281234567890',
        },
      ],
    },
    Service: {
      description: 'A GeoReport v2 service: one of our kinds of report',
      examples: [SERVICE_EXAMPLE],
    },
    Open311Request: {
      description: 'A complaint as GeoReport v2 shows it to anyone: never who reported it, nothing confidential',
      examples: [OPEN311_REQUEST_EXAMPLE],
    },
    RequestCreated: {
      description: 'The request received: its id (our tracking id) and what to tell the citizen',
      examples: [[{ service_request_id: 'LAP-7KQ2M9XH4D', service_notice: 'Laporan diterima. Simpan nomor pelacakan LAP-7KQ2M9XH4D.', account_id: null }]],
    },
  },
);
