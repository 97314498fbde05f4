import { logLevel } from 'kafkajs';
import { isSettlingKafkaError, kafkaLogCreator, levelOfKafkaLine } from '../src';

const line = (level: logLevel, message: string, error?: string) => ({ level, log: { message, timestamp: '', logger: 'kafkajs', ...(error ? { error } : {}) } });

describe('the level of a kafkajs line', () => {
  it('given an error kafkajs retries while partitions elect leaders or a coordinator moves, then it is info, not an error', () => {
    expect(levelOfKafkaLine(line(logLevel.ERROR, 'Response Metadata(key: 3, version: 6)', 'This server does not host this topic-partition'))).toBe('info');
    expect(
      levelOfKafkaLine(
        line(logLevel.ERROR, 'Response Produce', 'There is no leader for this topic-partition as we are in the middle of a leadership election'),
      ),
    ).toBe('info');
    expect(levelOfKafkaLine(line(logLevel.ERROR, 'Response JoinGroup', 'The coordinator is not available'))).toBe('info');
    expect(levelOfKafkaLine(line(logLevel.WARN, 'Response Heartbeat', 'The group is rebalancing, so a rejoin is needed'))).toBe('info');
  });

  it('given a start that failed while the broker settled, then the failure is known as settling; any other is not', () => {
    // as kafkajs throws them (KafkaJSProtocolError): the message is the broker's
    expect(isSettlingKafkaError(new Error('This server does not host this topic-partition'))).toBe(true);
    expect(isSettlingKafkaError(new Error("The coordinator is loading and hence can't process requests"))).toBe(true);
    expect(isSettlingKafkaError(new Error('topic lapor.x does not exist: the relay provisions it when it starts'))).toBe(false);
    expect(isSettlingKafkaError(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'))).toBe(false);
    expect(isSettlingKafkaError('Topic authorization failed')).toBe(false);
  });

  it('given any other error or warning, then it keeps its level', () => {
    expect(levelOfKafkaLine(line(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092'))).toBe('error');
    expect(levelOfKafkaLine(line(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded', 'Topic authorization failed'))).toBe('error');
    expect(levelOfKafkaLine(line(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees'))).toBe('warn');
  });

  it('given a line, then the sink gets it at that level with kafkajs’ details and namespace, not its timestamp', () => {
    const got: Array<[string, object, string]> = [];
    const sink = {
      info: (object: object, message: string) => got.push(['info', object, message]),
      warn: (object: object, message: string) => got.push(['warn', object, message]),
      error: (object: object, message: string) => got.push(['error', object, message]),
    };
    const write = kafkaLogCreator(sink)(logLevel.WARN);
    write({ namespace: 'Connection', label: 'ERROR', ...line(logLevel.ERROR, 'Response Metadata', 'This server does not host this topic-partition') });
    write({ namespace: 'Runner', label: 'ERROR', ...line(logLevel.ERROR, 'Crash', 'boom') });
    expect(got).toEqual([
      ['info', { kafka: 'Connection', error: 'This server does not host this topic-partition' }, 'kafka: Response Metadata'],
      ['error', { kafka: 'Runner', error: 'boom' }, 'kafka: Crash'],
    ]);
  });
});
