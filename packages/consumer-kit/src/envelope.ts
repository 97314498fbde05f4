// What a read side receives is the complaint-event message's envelope, defined with the message
// itself: one conversion from the log, one from Kafka, both in @lapor/complaint-event-message.
export type { EventEnvelope } from '@lapor/complaint-event-message';
