import type { IHeaders, Message } from 'kafkajs';
import type { GlobalLogEvent } from '@lapor/event-store';
import { ComplaintEventMessage, envelopeFromMessage, MESSAGE_VERSION, messageFromLog, type EventEnvelope } from './message';

/** The header that names the message format, readable without parsing the value. */
export const MESSAGE_VERSION_HEADER = 'message-version';

/** A message on the topic that is not a complaint-event message this reader understands; `reason` says why. */
export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
  constructor(readonly reason: string) {
    super(`malformed complaint-event message: ${reason}`);
  }
}

/** The Kafka message for an event of the log, or null when it is not a complaint event (see messageFromLog). */
export function toKafkaMessage(event: GlobalLogEvent): Message | null {
  const message = messageFromLog(event);
  if (message === null) return null;
  return {
    // one key per complaint: its events stay in one partition, in order
    key: message.complaintId,
    value: JSON.stringify(message),
    headers: {
      [MESSAGE_VERSION_HEADER]: String(MESSAGE_VERSION),
      'event-type': message.type,
      'schema-version': String(message.schemaVersion),
      'event-id': message.eventId,
      'global-position': message.globalPosition,
      'stream-version': message.streamVersion,
    },
  };
}

const headerText = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};

/** A message read from the topic, checked against the schema; throws MalformedMessageError with the reason. */
export function fromKafkaMessage(message: { readonly value: Buffer | string | null; readonly headers?: IHeaders }): EventEnvelope {
  const version = headerText(message.headers, MESSAGE_VERSION_HEADER);
  if (version !== undefined && version !== String(MESSAGE_VERSION)) {
    throw new MalformedMessageError(`message version ${version} is not the version ${MESSAGE_VERSION} this reader understands`);
  }
  if (message.value === null) throw new MalformedMessageError('the message has no value');
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString());
  } catch (error) {
    throw new MalformedMessageError(`the value is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = ComplaintEventMessage.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(value)'}: ${issue.message}`);
    throw new MalformedMessageError(issues.join('; '));
  }
  return envelopeFromMessage(parsed.data);
}
