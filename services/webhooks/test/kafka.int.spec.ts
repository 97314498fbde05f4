import { KafkaEventConsumer } from '@lapor/consumer-kit';
import { CheckpointStore, Relay } from '@lapor/log-relay';
import { testKafkaBrokers } from '@lapor/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { createWebhookEnqueuer } from '../src';
import { NTT, PUPR, webhooksWorld, type WebhooksWorld } from './support';

// The distributed shape: the relay publishes the log to a real Kafka broker and the webhooks'
// consumer (consumer-kit) fills the outbox from the topic; the dispatcher posts as ever.

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  child: () => silent,
} as unknown as ConstructorParameters<typeof Relay>[0]['logger'];

describe('outbound webhooks fed over Kafka', () => {
  let world: WebhooksWorld;
  let relay: Relay;
  let consumer: KafkaEventConsumer;
  beforeAll(async () => {
    world = await webhooksWorld('webhooks_kafka', { feed: 'external' });
    const topic = `webhooks-${randomBytes(4).toString('hex')}`;
    const kafka = new Kafka({ clientId: 'webhooks-test', brokers: await testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    relay = new Relay({ store: world.store, checkpoints: await CheckpointStore.open(world.db), kafka, logger: silent, topic, name: topic, partitions: 3 });
    await relay.start();
    consumer = new KafkaEventConsumer({
      kafka,
      topic,
      db: world.db,
      logger: silent,
      groupId: `${topic}-webhooks`,
      handler: createWebhookEnqueuer({ tree: () => world.context.directory.tree }),
    });
    await consumer.start();
  }, 120_000);
  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await world.close();
  });

  it('given a subscriber, when complaints move, then each event reaches it once, in order, through Kafka', async () => {
    const receiver = await world.receiver();
    await world.subscribe(await world.apiKey(NTT), { url: receiver.url, eventTypes: ['*'] });
    const complaints = [];
    for (let index = 0; index < 5; index++) {
      const { complaintId } = await world.submit(NTT);
      await world.verify(complaintId);
      await world.dispose(complaintId, PUPR);
      complaints.push(complaintId);
    }
    await world.queued();
    expect(await world.dispatcher().dispatch()).toEqual({ delivered: 15, failed: 0, paused: 0 });
    for (const complaintId of complaints) {
      const received = receiver
        .accepted()
        .filter((request) => request.json.complaintId === complaintId)
        .map((request) => request.json.id);
      expect(received).toEqual((await world.events(complaintId)).map((event) => event.id));
    }
  });
});
