import { describeAppendAndRead } from './append-and-read';
import { describeAppendToStreams } from './append-to-streams';
import { describeConcurrency } from './concurrency';
import { describeGlobalLog } from './global-log';
import { describeGroupCommit } from './group-commit';
import { describeLogByStream } from './log-by-stream';
import type { ContractHarness } from './harness';

export type { ContractHarness, StoreUnderTest } from './harness';

/** What every driver of the event store must do; each driver's spec file runs this. */
export function describeEventStoreContract(harness: ContractHarness): void {
  describeAppendAndRead(harness);
  describeGlobalLog(harness);
  describeLogByStream(harness);
  describeConcurrency(harness);
  describeGroupCommit(harness);
  describeAppendToStreams(harness);
}
