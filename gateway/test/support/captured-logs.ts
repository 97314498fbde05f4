import { REDACTED_PATHS } from '@lapor/http-kit';
import { Writable } from 'node:stream';

/**
 * A gateway logger at trace level (everything a request carries) writing into `lines`, redacted as in
 * production: what a test searches for personal data that must never be logged.
 */
export function capturedLogs(lines: string[]) {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { level: 'trace', redact: REDACTED_PATHS, stream };
}
