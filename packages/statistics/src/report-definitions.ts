/**
 * The day limits of the published tables' "within / after N days" columns: "Verifikasi <= 3 hari"
 * in Kinerja Admin, and "Kurang dari 5 hari / Lebih dari 5 hari" for dispositions, follow-ups and
 * completions in Statistik (seed 000, the NTT 2024 report).
 *
 * These are fixed report definitions, not the SLA policy. The policy (deadlines per SLA class, which
 * an administrator edits at run time) says when a complaint is late and raises breaches; these say
 * which column a decision already taken is counted in. They must not follow the policy: a table of
 * 2024 read in 2026 has to show what it showed in 2024, and the same columns across years must mean
 * the same thing. Changing one is changing the report (a release, with its headings), so the SQL and
 * the export headings both read them from here. The API's field names (`verifiedWithin3Days`,
 * `disposedWithin5Days`…) name these same published columns.
 */
export const REPORT_DAY_LIMITS = {
  /** Kinerja Admin: verified within this many working days of receipt, or after. */
  verification: 3,
  /** Statistik: disposed to a unit within this many working days of receipt, or after. */
  disposition: 5,
  /** Statistik: first follow-up within this many working days of the unit receiving it, or after. */
  firstFollowUp: 5,
  /** Statistik: completed within this many working days of the unit receiving it, or after. */
  completion: 5,
} as const;
