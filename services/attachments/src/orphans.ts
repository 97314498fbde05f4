import type { OpenedService, WorkflowContext } from '@lapor/http-kit';
import { z } from 'zod';

const OrphanSweepEnvironment = z.object({
  /** How long an upload may wait for its command (a slow client, a retried request) before it is an orphan. */
  LAPOR_ATTACHMENT_GRACE_MS: z.coerce
    .number()
    .int()
    .min(60_000)
    .default(24 * 3_600_000),
  LAPOR_ATTACHMENT_SWEEP_EVERY_MS: z.coerce.number().int().min(1_000).default(3_600_000),
});

export interface OrphanSweepOptions {
  readonly graceMs: number;
  readonly everyMs: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Files are stored before the command that carries them is decided; a refused command removes its
 * own, and a process that dies between leaves some no command refers to. A sweep (not a timer per
 * file: one query finds them all) removes those older than the grace period, after checking the
 * complaint's events, so a file whose command was accepted just before a crash is kept.
 */
export async function sweepOrphansOnce(context: WorkflowContext, graceMs: number, now = new Date()): Promise<number> {
  return context.attachments.sweepOrphans(new Date(now.getTime() - graceMs), async (complaintId, id) => {
    const loaded = await context.repository.load(complaintId);
    return loaded.events.some((event) => 'attachments' in event.data && event.data.attachments.some((file) => file.id === id));
  });
}

/** Sweeps now and every `everyMs`; stop() waits for a sweep under way. */
export function startOrphanSweep(context: WorkflowContext, options: OrphanSweepOptions): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = sweepOrphansOnce(context, options.graceMs).catch((error: unknown) => options.onError?.(error));
  };
  sweep();
  const timer = setInterval(sweep, options.everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** The sweep's settings from the environment; a bad value throws naming the variable. */
export function orphanSweepFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<OrphanSweepOptions, 'onError'> {
  const parsed = OrphanSweepEnvironment.safeParse(env);
  if (!parsed.success) throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { graceMs: parsed.data.LAPOR_ATTACHMENT_GRACE_MS, everyMs: parsed.data.LAPOR_ATTACHMENT_SWEEP_EVERY_MS };
}

/** The sweep as a background part of a process: it starts with the app and stops with it. */
export function orphanSweepService(context: WorkflowContext, options: OrphanSweepOptions): OpenedService {
  let sweep: { stop(): Promise<void> } | undefined;
  return {
    start() {
      sweep = startOrphanSweep(context, options);
    },
    async close() {
      await sweep?.stop();
    },
  };
}
