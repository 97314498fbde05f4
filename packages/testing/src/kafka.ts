import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { discoverKafka } from './discovery';

export const TEST_KAFKA_VARIABLE = 'LAPOR_TEST_KAFKA_BROKERS';

/** Brokers of a real Kafka for this test run, started on first use (it is slow to start). */
export async function testKafkaBrokers(): Promise<string[]> {
  const cached = process.env[TEST_KAFKA_VARIABLE];
  const brokers = cached ?? (await discoverKafka()).value;
  process.env[TEST_KAFKA_VARIABLE] = brokers;
  return brokers.split(',').map((b) => b.trim());
}

/**
 * The values on `topic` from its beginning, read by a consumer group of its own until `done` holds
 * for what has arrived, or the deadline passes (then what arrived, for the test's own expectation
 * to say what was missing): what a receiver of the topic would see.
 */
export async function readTopicUntil(topic: string, done: (values: readonly Buffer[]) => boolean, deadlineMs = 30_000): Promise<Buffer[]> {
  const kafka = new Kafka({ clientId: 'lapor-test-reader', brokers: await testKafkaBrokers(), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${topic}-reader-${randomUUID()}` });
  const values: Buffer[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(resolve, deadlineMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.value) values.push(message.value);
          if (done(values)) {
            clearTimeout(deadline);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}
