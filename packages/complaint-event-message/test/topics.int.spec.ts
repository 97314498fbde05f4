import { randomBytes } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { provisionTopics, TopicSettings } from '../src';

describe('provisioning topics', () => {
  let admin: Admin;
  beforeAll(async () => {
    const kafka = new Kafka({ clientId: 'provision-test', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('given a missing topic and its dead-letter topic, when provisioned twice, then both exist once with the configured partitions and retention', async () => {
    const topic = `provision-${randomBytes(4).toString('hex')}`;
    const deadLetters = `${topic}.dlq.statistics`;
    const settings = TopicSettings.parse({ LAPOR_TOPIC_PARTITIONS: '5', LAPOR_TOPIC_RETENTION_MS: '86400000' });

    const first = await provisionTopics(admin, [topic, deadLetters], settings);
    const second = await provisionTopics(admin, [topic, deadLetters], settings);

    expect(first).toEqual([
      { topic, partitions: 5 },
      { topic: deadLetters, partitions: 5 },
    ]);
    expect(second).toEqual(first);
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: deadLetters, configNames: ['retention.ms'] }],
    });
    expect(configs.resources[0]!.configEntries[0]!.configValue).toBe('86400000');
  });
});
