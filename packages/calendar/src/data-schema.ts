import { z } from 'zod';

// The shape of data/<year>.json. A year is a list of revisions, oldest first, each naming the
// decree it comes from: the joint decree (SKB) of the Ministers of Religious Affairs, Manpower and
// PANRB as the base, then any decree that amended it (an amending SKB, or a Keppres adding a
// voting day). Revisions are append-only; see manifest.ts for how that is enforced.
// Strict objects: a misspelt key in hand-edited data must fail loudly, not be dropped.

export const HolidayKind = z.enum(['libur_nasional', 'cuti_bersama']);
export type HolidayKind = z.infer<typeof HolidayKind>;

const IsoDate = z.iso.date();

export const HolidayEntry = z.strictObject({
  date: IsoDate,
  kind: HolidayKind,
  /** As the decree writes it, in Indonesian. */
  name: z.string().trim().min(1),
  note: z.string().min(1).optional(),
});
export type HolidayEntry = z.infer<typeof HolidayEntry>;

export const Decree = z.strictObject({
  type: z.enum(['skb', 'keppres']),
  title: z.string().min(1),
  /** As cited officially, e.g. "Nomor 1017 Tahun 2024, Nomor 2 Tahun 2024, Nomor 2 Tahun 2024". */
  number: z.string().min(1),
  signedOn: IsoDate,
});
export type Decree = z.infer<typeof Decree>;

const annotations = {
  note: z.string().min(1).optional(),
  /** Where the decree's content was read; the decree itself is the authority. */
  references: z.array(z.url()).optional(),
};

/** The complete list of a year's days as set by its SKB. */
export const OfficialBase = z.strictObject({
  type: z.literal('base'),
  status: z.literal('official'),
  decree: Decree,
  days: z.array(HolidayEntry),
  ...annotations,
});

/** An estimate used before the SKB exists; it says on what it is based. Never used unless asked for. */
export const ProvisionalBase = z.strictObject({
  type: z.literal('base'),
  status: z.literal('provisional'),
  basis: z.string().min(1),
  days: z.array(HolidayEntry),
  ...annotations,
});

/** What a later decree changed: days added, dates removed (a moved day is both). */
export const Amendment = z.strictObject({
  type: z.literal('amendment'),
  decree: Decree,
  add: z.array(HolidayEntry),
  remove: z.array(IsoDate),
  ...annotations,
});

// Discriminated (by type, then status) so an error points at the field that is wrong.
export const Revision = z.discriminatedUnion('type', [z.discriminatedUnion('status', [OfficialBase, ProvisionalBase]), Amendment]);
export type Revision = z.infer<typeof Revision>;

const duplicates = (values: readonly string[]): string[] => [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];

export const YearFile = z
  .strictObject({
    year: z.int().min(1970).max(2200),
    revisions: z.array(Revision).min(1),
  })
  .superRefine((file, ctx) => {
    const issue = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path });
    file.revisions.forEach((revision, index) => {
      const entries = revision.type === 'base' ? revision.days : revision.add;
      const dates = [...entries.map((entry) => entry.date), ...(revision.type === 'amendment' ? revision.remove : [])];
      for (const date of dates) {
        if (!date.startsWith(`${file.year}-`)) issue(`${date} is outside ${file.year}`, ['revisions', index]);
      }
      for (const date of duplicates(entries.map((entry) => entry.date))) {
        issue(`${date} is listed twice`, ['revisions', index]);
      }
      if (revision.type === 'amendment') {
        for (const date of duplicates(revision.remove)) issue(`${date} is removed twice`, ['revisions', index]);
        if (revision.add.length === 0 && revision.remove.length === 0) issue('an amendment must change something', ['revisions', index]);
      }
      // Append-only history has one shape: provisional estimates, then at most one official SKB,
      // then amendments. An SKB never replaces another SKB; a later decree amends it.
      const previous = index > 0 ? file.revisions[index - 1] : undefined;
      if (index === 0 && revision.type !== 'base') issue('the first revision must be a base (the SKB)', ['revisions', 0]);
      if (previous && revision.type === 'base' && !(previous.type === 'base' && previous.status === 'provisional')) {
        issue('a base may only replace a provisional base; amend an official one instead', ['revisions', index]);
      }
      if (previous && revision.type === 'amendment' && previous.type === 'base' && previous.status === 'provisional') {
        issue('a provisional base cannot be amended; replace it with the official base', ['revisions', index]);
      }
    });
  });
export type YearFile = z.infer<typeof YearFile>;

/** data/manifest.json: for each published year, the hashes of its locked revisions, in order. */
export const Manifest = z.strictObject({
  about: z.string().optional(),
  years: z.record(z.string().regex(/^\d{4}$/), z.array(z.string().regex(/^[0-9a-f]{64}$/)).min(1)),
});
export type Manifest = z.infer<typeof Manifest>;
