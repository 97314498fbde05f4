import { DomainError, organisationDecider, type OrganisationCommand } from '@lapor/domain';
import { nodeLocation } from '../execute';
import {
  commandIdOf,
  fileSchema,
  forbidden,
  HttpProblem,
  nameSchemas,
  notFound,
  PROBLEM_BASE,
  PROBLEM_CONTENT_TYPE,
  requireStaff,
  setVersion,
  type WorkflowContext,
} from '@lapor/http-kit';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ADMINISTRATION_TAG, NodeParams, problems } from '../../schemas';
import { createLiaisonAccounts, type LiaisonCode } from './liaison-accounts';
import { columnsOf, planOnboarding, type OnboardingPlan, type RowProblem } from './plan';
import { CSV_TYPE, readSheet, SheetError, XLSX_TYPE } from './sheet';

const MAX_BYTES = 5 * 1024 * 1024;

export const OnboardingQuery = z.strictObject({
  /** true: check every row and report, write nothing. */
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

export const OnboardingResult = z.object({
  dryRun: z.boolean(),
  instansiId: z.string(),
  /** False when any row has a problem: a real run then writes nothing. */
  valid: z.boolean(),
  /** False when everything in the file was already there: a re-upload changes nothing. */
  changed: z.boolean(),
  /** The tree's version after a real run that changed it. */
  version: z.string().nullable(),
  units: z.array(z.object({ row: z.number(), id: z.string(), name: z.string(), parentId: z.string(), status: z.enum(['baru', 'sudah ada']) })),
  liaisons: z.array(
    z.object({
      row: z.number(),
      email: z.string(),
      name: z.string(),
      unitId: z.string(),
      status: z.enum(['baru', 'sudah ada']),
      /**
       * Only for an account this real run created: its holder's one-time code to set a password
       * (POST /auth/password-reset, username: the e-mail). Shown this once, stored only as a hash.
       */
      resetCode: z.string().optional(),
      resetCodeExpiresAt: z.string().optional(),
    }),
  ),
  /** Every row's problem, in Bahasa Indonesia with its row number. */
  problems: z.array(z.object({ row: z.number(), column: z.string(), message: z.string() })),
});
const OnboardingDone = OnboardingResult.extend({});

// Named after their operations, as the document first named them, so generated clients keep their types.
nameSchemas(
  { OnboardUnitsAnswer200: OnboardingResult, OnboardUnitsAnswer201: OnboardingDone },
  {
    OnboardUnitsAnswer200: {
      description: 'A sheet checked (dryRun) or found already in place: every row as it would be written, and every row’s problem; nothing written',
      examples: [
        {
          dryRun: true,
          instansiId: 'pemprov-ntt',
          valid: false,
          changed: true,
          version: null,
          units: [
            { row: 2, id: 'ntt-badan-pendapatan-daerah', name: 'Badan Pendapatan Daerah', parentId: 'pemprov-ntt', status: 'baru' },
            {
              row: 3,
              id: 'ntt-dinas-pekerjaan-umum-dan-perumahan-rakyat',
              name: 'Dinas Pekerjaan Umum dan Perumahan Rakyat',
              parentId: 'pemprov-ntt',
              status: 'sudah ada',
            },
          ],
          liaisons: [{ row: 2, email: 'yohana.contoh@bapenda.example', name: 'Yohana Contoh', unitId: 'ntt-badan-pendapatan-daerah', status: 'baru' }],
          problems: [{ row: 4, column: 'email', message: 'Baris 4: alamat e-mail penghubung tidak valid' }],
        },
      ],
    },
    OnboardUnitsAnswer201: {
      description: 'A sheet written: the units and liaison accounts made, and for each new account its one-time reset code (shown this once)',
      examples: [
        {
          dryRun: false,
          instansiId: 'pemprov-ntt',
          valid: true,
          changed: true,
          version: '43',
          units: [{ row: 2, id: 'ntt-badan-pendapatan-daerah', name: 'Badan Pendapatan Daerah', parentId: 'pemprov-ntt', status: 'baru' }],
          liaisons: [
            {
              row: 2,
              email: 'yohana.contoh@bapenda.example',
              name: 'Yohana Contoh',
              unitId: 'ntt-badan-pendapatan-daerah',
              status: 'baru',
              resetCode: 'K7QXM-2RT9V-HP4ZD-8WNCF',
              resetCodeExpiresAt: '2026-12-08T02:00:00.000Z',
            },
          ],
          problems: [],
        },
      ],
    },
  },
);
type OnboardingResult = z.infer<typeof OnboardingResult>;

/**
 * Bulk onboarding: an instansi's unit list and liaison accounts from the sheet its administrator
 * already keeps. A dry run reports every row's problem; a real run with any problem writes nothing;
 * one without adds every new unit in one append (all or nothing), then the new liaison accounts.
 * A re-upload of the same file changes nothing.
 */
export async function onboardingRoutes(app: FastifyInstance, options: { context: WorkflowContext }): Promise<void> {
  const { context } = options;
  // the raw file, in this plugin only: the other routes keep JSON
  app.addContentTypeParser([CSV_TYPE, XLSX_TYPE], { parseAs: 'buffer', bodyLimit: MAX_BYTES }, (_request, body, done) => done(null, body));

  app.withTypeProvider<ZodTypeProvider>().post(
    '/organisation/nodes/:nodeId/onboarding',
    {
      schema: {
        operationId: 'onboardUnits',
        summary: 'Onboard an instansi’s units and liaisons from a CSV or XLSX sheet (dry run first)',
        description:
          'The body is the file itself: text/csv (comma or semicolon, UTF-8) or an XLSX workbook (first sheet). The first row names the columns: ' +
          '"Unit Kerja" (required), "Induk" (a unit of the file or already registered, by name or id; empty: the instansi), "Kode" (the unit id; ' +
          'default: made from the name), "Nama Penghubung" and "Email" (the liaison account, signed in with the e-mail). `dryRun=true` reports ' +
          'every row’s problem (duplicate name, unknown parent, bad e-mail…) in Bahasa Indonesia and writes nothing. A real run with any problem ' +
          'answers 422 listing them; without, it adds every new unit in one change of the tree, then the new liaison accounts in one change of the ' +
          'accounts. A new account has no password: its row in the 201 answer carries a one-time reset code (shown this once, never logged, stored ' +
          'only as a hash; valid 72 hours) for its holder to set their own at POST /auth/password-reset with the e-mail as username. Units and ' +
          'accounts already there are left as they are, so uploading the same file again changes nothing and hands out no code (an administrator ' +
          'issues a new one at POST /staff-accounts/{accountId}/password-reset). Admin Nasional, or the instansi’s own admin.',
        tags: [ADMINISTRATION_TAG.name],
        security: [{ bearer: [] }],
        params: NodeParams,
        querystring: OnboardingQuery,
        consumes: [CSV_TYPE, XLSX_TYPE],
        // the file arrives as it is (a Buffer); the schema only documents it
        body: fileSchema('The sheet: CSV text or an XLSX workbook', [CSV_TYPE, XLSX_TYPE]),
        response: { 200: OnboardingResult, 201: OnboardingDone, ...problems, 413: problems[400], 415: problems[400] },
      },
      // the answer carries the new liaisons' reset codes: no idempotency record keeps it (a retry is a re-upload, which changes nothing)
      config: { answerHoldsSecret: true },
    },
    async (request, reply) => {
      const actor = await requireStaff(request);
      const instansiId = request.params.nodeId;
      const tree = await context.directory.latest();
      if (!tree.has(instansiId) || tree.node(instansiId).kind !== 'instansi') throw notFound(`No instansi ${instansiId}.`);
      if (actor.role !== 'admin_nasional' && !(actor.role === 'admin_instansi' && actor.nodeId === instansiId)) {
        throw forbidden('Only Admin Nasional or the instansi’s own admin onboards its units.');
      }
      if (!Buffer.isBuffer(request.body))
        throw new HttpProblem(415, 'unsupported-media-type', 'Unsupported Media Type', `Send the file as ${CSV_TYPE} or ${XLSX_TYPE}.`);

      let sheet: Awaited<ReturnType<typeof readSheet>>;
      try {
        sheet = await readSheet(request.body, request.headers['content-type'] ?? CSV_TYPE);
      } catch (error) {
        if (error instanceof SheetError)
          throw new HttpProblem(400, 'unreadable-sheet', 'Bad Request', error.message, { errors: [{ field: 'body', message: error.message }] });
        throw error;
      }
      if (columnsOf(sheet.header) === null) {
        return reply
          .code(400)
          .type(PROBLEM_CONTENT_TYPE)
          .send({
            type: `${PROBLEM_BASE}validation`,
            title: 'Invalid request',
            status: 400,
            detail: 'The first row must name the columns; "Unit Kerja" is required.',
            errors: [{ field: 'body.header', message: 'Baris 1: kolom "Unit Kerja" tidak ditemukan.' }],
          });
      }

      const state = context.directory.organisation;
      const plan = planOnboarding({ instansiId, state, tree, header: sheet.header, rows: sheet.rows, accounts: context.staffAccounts.list() });
      const metadata = { now: context.now(), actor };
      const commands: OrganisationCommand[] = plan.toAdd.map((unit) => ({
        type: 'AddUnit',
        data: { nodeId: unit.id, name: unit.name, parentId: unit.parentId, effectiveAt: null },
        metadata,
      }));
      const allProblems = [...plan.problems, ...rulesRefusing(plan, commands, state)].sort((a, b) => a.row - b.row);
      const newLiaisons = plan.liaisons.filter((liaison) => liaison.status === 'baru');
      const result = (version: bigint | null, codes: readonly LiaisonCode[] = []): OnboardingResult => ({
        dryRun: request.query.dryRun,
        instansiId,
        valid: allProblems.length === 0,
        changed: commands.length > 0 || newLiaisons.length > 0,
        version: version === null ? null : version.toString(),
        units: plan.units,
        liaisons: plan.liaisons.map((liaison) => {
          const issued = codes.find((code) => code.email === liaison.email);
          return issued ? { ...liaison, resetCode: issued.resetCode, resetCodeExpiresAt: issued.resetCodeExpiresAt } : liaison;
        }),
        problems: allProblems,
      });
      if (request.query.dryRun) return result(null);
      if (allProblems.length > 0) {
        return reply
          .code(422)
          .type(PROBLEM_CONTENT_TYPE)
          .send({
            type: `${PROBLEM_BASE}onboarding-rows`,
            title: 'Rows refused',
            status: 422,
            detail: `${allProblems.length} problem(s) in the sheet; nothing was written. Each is listed in errors, by row.`,
            errors: allProblems.map((problem) => ({ field: `body.baris.${problem.row}.${problem.column}`, message: problem.message })),
          });
      }
      let version: bigint | null = null;
      if (commands.length > 0) {
        const outcome = await context.directory.executeAll(commands, { commandId: commandIdOf(request, context.newId), correlationId: request.id });
        version = outcome.version;
        setVersion(reply, version);
      }
      const codes = await createLiaisonAccounts({
        accounts: context.staffAccounts,
        liaisons: plan.liaisons,
        tree: await context.directory.latest(),
        actor,
        now: metadata.now,
      });
      // counts only: the codes are in the answer and nowhere else
      request.log.info({ instansiId, units: commands.length, liaisons: codes.length }, 'units onboarded');
      const made = commands.length > 0 || codes.length > 0;
      // the units were made under the instansi: its node is where they are found and acted on
      if (made) void reply.header('location', nodeLocation(instansiId));
      return reply.code(made ? 201 : 200).send(result(version, codes));
    },
  );
}

/** The organisation's own rules on the new units (scope, parents, names), decided as the real run would, each refusal on its row. */
function rulesRefusing(plan: OnboardingPlan, commands: readonly OrganisationCommand[], start: Parameters<typeof organisationDecider.decide>[1]): RowProblem[] {
  const refused: RowProblem[] = [];
  let state = start;
  commands.forEach((command, index) => {
    const unit = plan.toAdd[index]!;
    try {
      for (const event of organisationDecider.decide(command, state)) state = organisationDecider.evolve(state, event);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused.push({ row: unit.row, column: 'Unit Kerja', message: `Baris ${unit.row}: ditolak (${error.code}): ${error.message}` });
    }
  });
  return refused;
}
