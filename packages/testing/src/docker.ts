import { spawnSync } from 'node:child_process';

/** True when a Docker engine answers (a client alone is not enough for testcontainers). */
export function dockerEngineReachable(): boolean {
  const probe = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 });
  return probe.status === 0 && probe.stdout.trim().length > 0;
}
