import { z } from 'zod';

// Deadlines are configuration, not code: the guideline that sets them (PermenPANRB 62/2018,
// now 5/2025) changes. These are the defaults; the scheduler may be given others.

/**
 * Completion classes, chosen at verification:
 * - informasi_normatif: information request or normative complaint;
 * - tanpa_pengawasan: complaint needing no supervision and no field inspection;
 * - pengawasan_lapangan: complaint needing supervision and field inspection.
 */
export const SlaClass = z.enum(['informasi_normatif', 'tanpa_pengawasan', 'pengawasan_lapangan']);
export type SlaClass = z.infer<typeof SlaClass>;

/** The deadlines the scheduler tracks for a complaint. */
export const SlaStage = z.enum(['verification', 'first_follow_up', 'completion']);
export type SlaStage = z.infer<typeof SlaStage>;

export const SlaClassPolicy = z
  .object({
    label: z.string().min(1),
    /** Working days from the moment the unit liaison receives the complaint. */
    completionWorkingDays: z.int().positive(),
    // The guideline says "hari" (days) before the deadline; we count working days so a
    // reminder never lands on a weekend or a holiday, when nobody reads it.
    reminderWorkingDaysBefore: z.int().positive(),
  })
  .refine((policy) => policy.reminderWorkingDaysBefore < policy.completionWorkingDays, {
    message: 'the reminder must come before the deadline',
  });
export type SlaClassPolicy = z.infer<typeof SlaClassPolicy>;

export const SlaConfiguration = z.object({
  classes: z.object({
    informasi_normatif: SlaClassPolicy,
    tanpa_pengawasan: SlaClassPolicy,
    pengawasan_lapangan: SlaClassPolicy,
  }),
  /** Telaah dan verifikasi, from receipt. */
  verificationWorkingDays: z.int().positive(),
  /** Internal coordination and a first follow-up, from disposition to the unit. */
  firstFollowUpWorkingDays: z.int().positive(),
  /** Quiet days after a follow-up before the complaint closes itself. */
  autoCloseWorkingDays: z.int().positive(),
  /** Days the reporter has to supply missing data before the complaint is archived. */
  missingDataWorkingDays: z.int().positive(),
});
export type SlaConfiguration = z.infer<typeof SlaConfiguration>;

export const DEFAULT_SLA_CONFIGURATION: SlaConfiguration = {
  classes: {
    informasi_normatif: {
      label: 'Permintaan informasi / pengaduan normatif',
      completionWorkingDays: 5,
      reminderWorkingDaysBefore: 3,
    },
    tanpa_pengawasan: {
      label: 'Pengaduan tanpa pengawasan dan pemeriksaan lapangan',
      completionWorkingDays: 14,
      reminderWorkingDaysBefore: 8,
    },
    pengawasan_lapangan: {
      label: 'Pengaduan dengan pengawasan dan pemeriksaan lapangan',
      completionWorkingDays: 60,
      reminderWorkingDaysBefore: 35,
    },
  },
  verificationWorkingDays: 3,
  firstFollowUpWorkingDays: 5,
  autoCloseWorkingDays: 10,
  missingDataWorkingDays: 10,
};

export const slaPolicyFor = (slaClass: SlaClass, configuration: SlaConfiguration = DEFAULT_SLA_CONFIGURATION): SlaClassPolicy =>
  configuration.classes[slaClass];
