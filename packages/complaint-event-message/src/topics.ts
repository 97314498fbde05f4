import type { Admin } from 'kafkajs';
import { z } from 'zod';

/**
 * How topics are made, from the environment: LAPOR_TOPIC_PARTITIONS (12: the most consumers one
 * group can spread over), LAPOR_TOPIC_REPLICATION (1: a single broker; 3 in production),
 * LAPOR_TOPIC_RETENTION_MS (-1: the topic keeps every event, so a new read side can start from it).
 */
export const TopicSettings = z.object({
  LAPOR_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1_000).default(12),
  LAPOR_TOPIC_REPLICATION: z.coerce.number().int().min(1).max(10).default(1),
  LAPOR_TOPIC_RETENTION_MS: z.coerce.number().int().min(-1).default(-1),
});
export type TopicSettings = z.infer<typeof TopicSettings>;

export interface TopicFound {
  readonly topic: string;
  readonly partitions: number;
}

/**
 * Creates each topic that is missing with the configured settings, and leaves existing ones alone
 * (twice is a no-op). Answers what each topic has after it, so a caller can compare.
 */
export async function provisionTopics(admin: Admin, topics: readonly string[], settings: TopicSettings): Promise<TopicFound[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: settings.LAPOR_TOPIC_PARTITIONS,
        replicationFactor: settings.LAPOR_TOPIC_REPLICATION,
        configEntries: [{ name: 'retention.ms', value: String(settings.LAPOR_TOPIC_RETENTION_MS) }],
      })),
    });
  }
  // The broker answers metadata in its own order; callers read the answer in the order they asked.
  const { topics: described } = await admin.fetchTopicMetadata({ topics: [...topics] });
  const partitionsByTopic = new Map(described.map((found) => [found.name, found.partitions.length]));
  return topics.map((topic) => ({ topic, partitions: partitionsByTopic.get(topic) ?? 0 }));
}
