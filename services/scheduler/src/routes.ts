import { CalendarError, YearFile } from '@lapor/calendar';
import { DEFAULT_SLA_CONFIGURATION, SlaConfiguration } from '@lapor/domain';
import { WrongExpectedVersionError } from '@lapor/event-store';
import type { SqlQueryable } from '@lapor/sql';
import { ComplaintParams, HttpProblem, loadReadable, nameSchemas, Problem, requireStaff, type WorkflowContext } from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CalendarSource } from '@lapor/calendar';
import type { PolicySource } from './sources';
import { SCHEDULER_SCHEMA } from './tables';

const Policy = z.object({
  version: z.int().describe('0 is the built-in default; each recorded change adds one'),
  configuration: SlaConfiguration,
  changedAt: z.string().nullable(),
  changedBy: z.string().nullable(),
});
const PolicyChange = z.strictObject({
  /** The version this change replaces: a change made meanwhile by someone else is refused (409). */
  replacesVersion: z.int().nonnegative(),
  configuration: SlaConfiguration,
});
const CalendarAnswer = z.object({ calendarVersion: z.string(), years: z.array(z.int()) });
const Timer = z.object({
  key: z.string(),
  kind: z.enum(['reminder', 'breach', 'auto_archive', 'auto_close']),
  stage: z.string(),
  clockStartedAt: z.string(),
  deadlineAt: z.string(),
  dueAt: z.string(),
  status: z.enum(['pending', 'fired', 'stale', 'refused', 'dropped', 'waiting']),
  outcome: z.string().nullable(),
  firedAt: z.string().nullable(),
  plannedVersion: z.string(),
  calendarVersion: z.string(),
  policyVersion: z.int(),
});

const ComplaintTimers = z.object({ timers: z.array(Timer) });

// The names these shapes have in the API document (components.schemas), for generated clients.
nameSchemas(
  { SlaPolicy: Policy, SlaPolicyChange: PolicyChange, HolidayCalendar: CalendarAnswer, HolidayYearFile: YearFile, ComplaintTimer: Timer, ComplaintTimers },
  {
    SlaPolicy: {
      description: 'The SLA deadlines and reminders in force, and who changed them last',
      examples: [{ version: 2, configuration: DEFAULT_SLA_CONFIGURATION, changedAt: '2026-11-20T01:15:00.000Z', changedBy: 'admin.nasional' }],
    },
    SlaPolicyChange: {
      description: 'New deadlines, given against the version they replace (a stale one is 409)',
      examples: [{ replacesVersion: 2, configuration: DEFAULT_SLA_CONFIGURATION }],
    },
    HolidayYearFile: {
      description: 'A year of national holidays and cuti bersama: the SKB decree, then its amendments (as in packages/calendar/data)',
      // shortened: a real year lists every day of the decree
      examples: [
        {
          year: 2028,
          revisions: [
            {
              type: 'base',
              status: 'official',
              decree: {
                type: 'skb',
                title: 'Keputusan Bersama Menteri tentang Hari Libur Nasional dan Cuti Bersama Tahun 2028',
                number: 'Nomor 1 Tahun 2027 (contoh)',
                signedOn: '2027-09-15',
              },
              note: 'Contoh dipersingkat: hanya tiga hari.',
              days: [
                { date: '2028-01-01', kind: 'libur_nasional', name: 'Tahun Baru 2028 Masehi' },
                { date: '2028-08-17', kind: 'libur_nasional', name: 'Hari Kemerdekaan Republik Indonesia' },
                { date: '2028-12-25', kind: 'libur_nasional', name: 'Hari Raya Natal' },
              ],
            },
            {
              type: 'amendment',
              decree: {
                type: 'skb',
                title: 'Perubahan atas Keputusan Bersama tentang Hari Libur Nasional dan Cuti Bersama Tahun 2028',
                number: 'Nomor 2 Tahun 2028 (contoh)',
                signedOn: '2028-03-02',
              },
              add: [{ date: '2028-12-26', kind: 'cuti_bersama', name: 'Cuti Bersama Hari Raya Natal' }],
              remove: [],
            },
          ],
        },
      ],
    },
    HolidayCalendar: {
      description: 'The working-day calendar after the change: its version and the years it knows',
      examples: [{ calendarVersion: '4', years: [2024, 2025, 2026, 2027, 2028] }],
    },
    ComplaintTimers: {
      description: 'A complaint’s SLA timers, pending and past',
      examples: [
        {
          timers: [
            {
              key: '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c:reminder:first_follow_up:2026-11-18T02:00:00.000Z',
              kind: 'reminder',
              stage: 'first_follow_up',
              clockStartedAt: '2026-11-18T02:00:00.000Z',
              deadlineAt: '2026-11-25T09:00:00.000Z',
              dueAt: '2026-11-24T01:00:00.000Z',
              status: 'fired',
              outcome: 'recorded',
              firedAt: '2026-11-24T01:00:02.000Z',
              plannedVersion: '3',
              calendarVersion: '3',
              policyVersion: 2,
            },
          ],
        },
      ],
    },
    ComplaintTimer: {
      description: 'A durable SLA timer of a complaint: a reminder, a breach, an automatic archive or close',
      examples: [
        {
          key: '0b8f6c2e-4d1a-4c3b-9e2f-7a6b5c4d3e2f:breach:verification:2026-11-20T01:15:00.000Z',
          kind: 'breach',
          stage: 'verification',
          clockStartedAt: '2026-11-20T01:15:00.000Z',
          deadlineAt: '2026-11-25T01:15:00.000Z',
          dueAt: '2026-11-25T01:15:00.000Z',
          status: 'pending',
          outcome: null,
          firedAt: null,
          plannedVersion: '0',
          calendarVersion: '3',
          policyVersion: 2,
        },
      ],
    },
  },
);

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** The scheduler's HTTP face: its policy and calendar (Admin Nasional changes them), and a complaint's timers. */
export async function schedulerHttpRoutes(
  app: FastifyInstance,
  options: { context: WorkflowContext; db: SqlQueryable; policy: PolicySource; calendar: CalendarSource },
): Promise<void> {
  const { context, db, policy, calendar } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ['scheduler'], security: [{ bearer: [] }] };

  routes.get(
    '/scheduler/policy',
    {
      schema: {
        ...common,
        operationId: 'getSlaPolicy',
        summary: 'The deadlines and reminder offsets new timers are planned with',
        response: { 200: Policy, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      await requireStaff(request);
      return policy.refresh();
    },
  );

  routes.put(
    '/scheduler/policy',
    {
      schema: {
        ...common,
        operationId: 'changeSlaPolicy',
        summary: 'Change the deadlines (Admin Nasional): recorded, and applied to timers planned from now on',
        body: PolicyChange,
        response: { 200: Policy, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      },
    },
    async (request) => {
      const actor = await requireStaff(request, ['admin_nasional']);
      const changed = await policy.change(request.body.configuration, actor.id, context.now(), request.body.replacesVersion).catch((error: unknown) => {
        // the policy is always there (version 0 is the defaults): a version it never had is a stale read, not a missing policy
        if (error instanceof WrongExpectedVersionError && error.actual === 'no_stream') {
          throw new HttpProblem(
            409,
            'version-conflict',
            'Version conflict',
            `The policy is at version 0 (the defaults), not ${request.body.replacesVersion}; read it again.`,
          );
        }
        throw error;
      });
      request.log.info({ version: changed.version, by: actor.id }, 'SLA policy changed; new timers use it, planned ones keep their deadlines');
      return changed;
    },
  );

  routes.post(
    '/scheduler/calendar/years',
    {
      schema: {
        ...common,
        operationId: 'addHolidayYear',
        summary: 'Give the working-day calendar a year of holidays (Admin Nasional), without a restart',
        description:
          'The body is a year file as in packages/calendar/data (the SKB decree and its holidays): a file that does not parse is 400 naming the field. ' +
          'A year already published cannot be rewritten, only amended (422).',
        body: YearFile,
        response: { 200: CalendarAnswer, 400: Problem, 401: Problem, 403: Problem, 422: Problem },
      },
    },
    async (request) => {
      const actor = await requireStaff(request, ['admin_nasional']);
      try {
        const updated = await calendar.addYear(request.body, actor.id, context.now());
        request.log.info({ calendarVersion: updated.version, by: actor.id }, 'holiday year added to the calendar');
        return { calendarVersion: updated.version, years: [...updated.years] };
      } catch (error) {
        if (error instanceof CalendarError) throw new HttpProblem(422, 'calendar-year-refused', 'Unprocessable Content', `${error.code}: ${error.message}`);
        throw error;
      }
    },
  );

  // Not paged: one complaint's timers, a handful by construction (one per running deadline).
  routes.get(
    '/complaints/:complaintId/timers',
    {
      schema: {
        ...common,
        operationId: 'listComplaintTimers',
        summary: 'A complaint’s SLA timers: pending, fired, or dropped, each with the calendar and policy that set it',
        params: ComplaintParams,
        response: { 200: ComplaintTimers, 400: Problem, 401: Problem, 404: Problem },
      },
    },
    async (request) => {
      const actor = await requireStaff(request);
      await loadReadable(context, request.params.complaintId, actor);
      const rows = await db.query<Record<string, string | Date | number | null>>(
        `SELECT key, kind, stage, clock_started_at, deadline_at, due_at, status, outcome, fired_at, planned_version::text AS planned_version, calendar_version, policy_version
         FROM ${SCHEDULER_SCHEMA}.timers WHERE complaint_id = $1 ORDER BY due_at, key`,
        [request.params.complaintId],
      );
      return {
        timers: rows.map((row) => ({
          key: String(row.key),
          kind: row.kind as z.infer<typeof Timer>['kind'],
          stage: String(row.stage),
          clockStartedAt: iso(row.clock_started_at as Date)!,
          deadlineAt: iso(row.deadline_at as Date)!,
          dueAt: iso(row.due_at as Date)!,
          status: row.status as z.infer<typeof Timer>['status'],
          outcome: row.outcome === null ? null : String(row.outcome),
          firedAt: iso(row.fired_at as Date | null),
          plannedVersion: String(row.planned_version),
          calendarVersion: String(row.calendar_version),
          policyVersion: Number(row.policy_version),
        })),
      };
    },
  );
}
