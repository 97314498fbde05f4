import type { SqlQueryable } from '@lapor/sql';
import type { IHeaders, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { unparkAll } from './apply-once';
import { DEAD_LETTER_HEADERS } from './kafka-consumer';

/**
 * Puts what a read side dead-lettered back on the source topic, keyed and ordered as before, once
 * its cause is fixed, and lets that read side take those complaints again. Every read side sees the
 * events again; the ones that already applied them skip them by version, so a replay is safe to run
 * twice. Returns how many messages were moved.
 */
export async function replayDeadLetters(options: {
  kafka: Kafka;
  /** The read side's database and name: its held-back complaints are released first. */
  db: SqlQueryable;
  consumer: string;
  deadLetterTopic: string;
  sourceTopic: string;
  logger: Logger;
  /** Stop when no message came for this long (default 2 s). */
  idleMs?: number;
}): Promise<number> {
  const { kafka, deadLetterTopic, sourceTopic, logger, idleMs = 2_000 } = options;
  const released = await unparkAll(options.db, options.consumer);
  logger.info({ consumer: options.consumer, released }, 'released held-back complaints for replay');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  // one group for replays: a replay run twice starts where the last one stopped
  const consumer = kafka.consumer({ groupId: `${deadLetterTopic}.replay` });
  await Promise.all([producer.connect(), consumer.connect()]);
  let moved = 0;
  let lastMessageAt = Date.now();
  try {
    await consumer.subscribe({ topic: deadLetterTopic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        // back as it first came (its own headers, such as the message version), marked as replayed
        const headers: IHeaders = { ...message.headers, replayed: 'true' };
        for (const name of DEAD_LETTER_HEADERS) delete headers[name];
        await producer.send({ topic: sourceTopic, acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
        moved++;
        lastMessageAt = Date.now();
      },
    });
    while (Date.now() - lastMessageAt < idleMs) await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  logger.info({ deadLetterTopic, sourceTopic, moved }, 'dead letters replayed');
  return moved;
}
