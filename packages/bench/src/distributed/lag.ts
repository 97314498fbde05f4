import type { Admin } from 'kafkajs';

/** Messages on the topic that the group has not committed yet, over all partitions. */
export async function groupLag(admin: Admin, topic: string, groupId: string): Promise<number> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const position = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.reduce((sum, end) => sum + Number(end.high) - Math.max(0, position.get(end.partition) ?? 0), 0);
}

/** Messages written to the topic so far, over all partitions. */
export async function topicEnd(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((sum, end) => sum + Number(end.high), 0);
}

/** Polls until every group's lag is 0; the milliseconds it took per group, or undefined for one that did not within the bound. */
export async function drained(admin: Admin, topic: string, groups: readonly string[], boundMs: number): Promise<Map<string, number | undefined>> {
  const begin = performance.now();
  const took = new Map<string, number | undefined>(groups.map((group) => [group, undefined]));
  while (performance.now() - begin < boundMs) {
    const waiting = [...took].filter(([, ms]) => ms === undefined).map(([group]) => group);
    if (waiting.length === 0) break;
    for (const group of waiting) {
      const lag = await groupLag(admin, topic, group).catch(() => Infinity);
      if (lag === 0) took.set(group, performance.now() - begin);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return took;
}
