export { fromKafkaMessage, MalformedMessageError, MESSAGE_VERSION_HEADER, toKafkaMessage } from './kafka';
export {
  COMPLAINT_EVENTS_TOPIC,
  ComplaintEventMessage,
  envelopeFromLog,
  envelopeFromMessage,
  MESSAGE_VERSION,
  messageFromLog,
  type EventEnvelope,
} from './message';
export { isSettlingKafkaError, kafkaLogCreator, levelOfKafkaLine, type KafkaLogSink } from './kafka-log';
export { provisionTopics, TopicSettings, type TopicFound } from './topics';
