import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * Runs `work` under the V8 CPU profiler when `path` is given, and writes the profile there (open it
 * in Chrome DevTools or speedscope): set LAPOR_BENCH_CPU_PROFILE to see where a rebuild's time goes
 * without profiling the data generation around it.
 */
export async function profiled<T>(path: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!path) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(path, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the rebuild written to ${path}`);
  }
}
