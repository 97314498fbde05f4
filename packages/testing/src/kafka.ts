import { discoverKafka } from './discovery';

export const TEST_KAFKA_VARIABLE = 'LAPOR_TEST_KAFKA_BROKERS';

/** Brokers of a real Kafka for this test run, started on first use (it is slow to start). */
export async function testKafkaBrokers(): Promise<string[]> {
  const cached = process.env[TEST_KAFKA_VARIABLE];
  const brokers = cached ?? (await discoverKafka()).value;
  process.env[TEST_KAFKA_VARIABLE] = brokers;
  return brokers.split(',').map((b) => b.trim());
}
