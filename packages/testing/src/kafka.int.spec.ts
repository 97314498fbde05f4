import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { testKafkaBrokers } from './kafka';

// Proves the test broker is a real Kafka: what goes in comes out, keyed, with headers, in order.
describe('the test Kafka broker', () => {
  let kafka: Kafka;
  let producer: Producer;
  let consumer: Consumer;
  const topic = `smoke-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    kafka = new Kafka({ clientId: 'lapor-smoke-test', brokers: await testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    consumer = kafka.consumer({ groupId: `${topic}-group` });
    await Promise.all([producer.connect(), consumer.connect()]);
  });
  afterAll(async () => {
    await Promise.all([producer?.disconnect(), consumer?.disconnect()]);
  });

  it('given keyed messages with headers produced with acks=all, when a new group consumes the topic, then it gets them all, each key in order', async () => {
    const sent = [
      { key: 'complaint-a', value: 'submitted', headers: { 'event-type': 'ComplaintSubmitted' } },
      { key: 'complaint-b', value: 'submitted', headers: { 'event-type': 'ComplaintSubmitted' } },
      { key: 'complaint-a', value: 'verified', headers: { 'event-type': 'ComplaintVerified' } },
    ];
    await producer.send({ topic, acks: -1, messages: sent });

    const received: Array<{ key: string; value: string; type: string; partition: number }> = [];
    await consumer.subscribe({ topic, fromBeginning: true });
    const allArrived = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          received.push({
            key: message.key!.toString(),
            value: message.value!.toString(),
            type: message.headers!['event-type']!.toString(),
            partition,
          });
          if (received.length === sent.length) resolve();
        },
      });
    });
    await allArrived;

    expect(received.map(({ key, value, type }) => ({ key, value, type })).sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      { key: 'complaint-a', value: 'submitted', type: 'ComplaintSubmitted' },
      { key: 'complaint-a', value: 'verified', type: 'ComplaintVerified' },
      { key: 'complaint-b', value: 'submitted', type: 'ComplaintSubmitted' },
    ]);
    const partitionsOfA = new Set(received.filter((m) => m.key === 'complaint-a').map((m) => m.partition));
    expect(partitionsOfA.size).toBe(1); // one key, one partition: its order holds
  });
});
