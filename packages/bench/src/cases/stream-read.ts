import { createPostgresEventStore } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';
import { timed, type Throughput } from '../measure';
import { samplePayload } from './appends';

/**
 * Ours reading one long stream back `reads` times (after one unmeasured read): a complaint's history
 * is read on every command, so this is the read that sits on the command path.
 */
export async function oursStreamRead(url: string, events: number, reads: number): Promise<Throughput> {
  const stream = `long-${randomUUID()}`;
  const store = await createPostgresEventStore({ connectionString: url, poolSize: 1 });
  try {
    for (let written = 0; written < events; written += 100) {
      const batch = Array.from({ length: Math.min(100, events - written) }, (_, i) => ({
        id: randomUUID(),
        type: 'ComplaintSubmitted',
        data: samplePayload(0, written + i),
      }));
      await store.appendToStream(stream, batch);
    }
    await store.readStream(stream);
    return await timed(async () => {
      let count = 0;
      for (let i = 0; i < reads; i++) count += (await store.readStream(stream)).length;
      return count;
    });
  } finally {
    await store.close();
  }
}
