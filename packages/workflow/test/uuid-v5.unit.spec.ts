import { complaintIdForTrackingId, eventIdFor, uuidV5 } from '../src';

describe('name-based ids', () => {
  it('matches the RFC 9562 example for version 5 (DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('given the same tracking id in any letter case, then the same complaint id; another tracking id, another', () => {
    expect(complaintIdForTrackingId('LAP-ABCDEFGH23')).toBe(complaintIdForTrackingId('lap-abcdefgh23'));
    expect(complaintIdForTrackingId('LAP-ABCDEFGH23')).not.toBe(complaintIdForTrackingId('LAP-ABCDEFGH24'));
  });

  it('gives a retried command the same event ids, and each event of a command its own', () => {
    expect(eventIdFor('command-1', 0)).toBe(eventIdFor('command-1', 0));
    expect(new Set([eventIdFor('command-1', 0), eventIdFor('command-1', 1), eventIdFor('command-2', 0)]).size).toBe(3);
  });
});
