import type { Kafka } from 'kafkajs';

/**
 * Reads the topic from the beginning with a fresh group until every expected event id has arrived
 * (by its `event-id` header); also counts the messages, so repeats show.
 */
export async function collectEventIds(kafka: Kafka, topic: string, expected: number, timeoutMs = 60_000): Promise<{ seen: Set<string>; messages: number }> {
  const consumer = kafka.consumer({ groupId: `${topic}-check` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set<string>();
  let messages = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`${seen.size} of ${expected} arrived`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          messages++;
          seen.add(message.headers!['event-id']!.toString());
          if (seen.size === expected) {
            clearTimeout(deadline);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return { seen, messages };
}
