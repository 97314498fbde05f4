import type { GlobalLogEvent } from '@lapor/event-store';
import { randomUUID } from 'node:crypto';
import { envelopeFromLog, fromKafkaMessage, MalformedMessageError, MESSAGE_VERSION_HEADER, toKafkaMessage } from '../src';

const complaintId = randomUUID();
const logEvent = (overrides: Partial<GlobalLogEvent> = {}): GlobalLogEvent => ({
  id: randomUUID(),
  streamId: `complaint-${complaintId}`,
  streamVersion: 3n,
  position: 2n ** 60n, // past what a JSON number holds exactly
  type: 'ComplaintVerified',
  data: { complaintId, at: '2025-03-04T05:06:07.000Z', reporter: { sealed: 'c2VhbGVk', keyId: 'k1' } },
  metadata: { schemaVersion: 2, actor: { role: 'verifier', id: 'v-1', nodeId: null } },
  recordedAt: new Date('2025-03-04T05:06:07.123Z'),
  logPosition: { transactionId: 7n, position: 2n ** 60n },
  ...overrides,
});

const reasonOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedMessageError);
    return (error as MalformedMessageError).reason;
  }
  throw new Error('expected a MalformedMessageError');
};

describe('the complaint-event message', () => {
  it('given a complaint event, when it goes to Kafka and back, then the read side gets what the in-process log gives it', () => {
    const event = logEvent();
    const message = toKafkaMessage(event)!;
    expect(message.key).toBe(complaintId);
    expect(message.headers).toMatchObject({ [MESSAGE_VERSION_HEADER]: '1', 'event-id': event.id, 'schema-version': '2', 'global-position': String(2n ** 60n) });
    const received = fromKafkaMessage({ value: Buffer.from(message.value as string), headers: message.headers! });
    expect(received).toEqual(envelopeFromLog(event));
    expect(received).toMatchObject({ complaintId, streamVersion: 3n, globalPosition: 2n ** 60n, schemaVersion: 2, recordedAt: '2025-03-04T05:06:07.123Z' });
  });

  it('given an event whose writer recorded no schema version, then both transports read it as version 1', () => {
    const event = logEvent({ metadata: {} });
    const message = toKafkaMessage(event)!;
    const received = fromKafkaMessage({ value: Buffer.from(message.value as string), headers: message.headers! });
    expect(envelopeFromLog(event)).toEqual(received);
    expect(received.schemaVersion).toBe(1);
  });

  it('given an event that is not a complaint’s (accounts, API keys), then it never becomes a message', () => {
    expect(toKafkaMessage(logEvent({ streamId: 'account-admin-ntt' }))).toBeNull();
    expect(envelopeFromLog(logEvent({ streamId: 'apikey-1' }))).toBeNull();
  });

  it('given a message written before the version was spelled out, then it reads as version 1', () => {
    const { messageVersion: _dropped, ...legacy } = JSON.parse(toKafkaMessage(logEvent())!.value as string);
    expect(fromKafkaMessage({ value: JSON.stringify(legacy) }).complaintId).toBe(complaintId);
  });

  it.each([
    ['no value', null, {}, 'no value'],
    ['not JSON', '{"eventId": ', {}, 'not JSON'],
    ['a missing complaint id', JSON.stringify({ ...JSON.parse(toKafkaMessage(logEvent())!.value as string), complaintId: undefined }), {}, 'complaintId'],
    ['a position as a number', JSON.stringify({ ...JSON.parse(toKafkaMessage(logEvent())!.value as string), globalPosition: 12 }), {}, 'globalPosition'],
    ['another version in the value', JSON.stringify({ ...JSON.parse(toKafkaMessage(logEvent())!.value as string), messageVersion: 2 }), {}, 'messageVersion'],
    ['another version in the header', toKafkaMessage(logEvent())!.value as string, { [MESSAGE_VERSION_HEADER]: Buffer.from('2') }, 'message version 2'],
  ])('given a message with %s, then parsing fails with a reason that says so', (_case, value, headers, reason) => {
    expect(reasonOf(() => fromKafkaMessage({ value, headers }))).toContain(reason);
  });
});
