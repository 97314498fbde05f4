import { createHash } from 'node:crypto';

/**
 * A name-based UUID (RFC 9562 version 5): the same namespace and name always give the same id.
 * Used where an id must be found again without a lookup table.
 */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  if (namespaceBytes.length !== 16) throw new RangeError(`namespace must be a UUID, got ${namespace}`);
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Namespaces of our own (random, fixed forever: changing one moves every id derived from it).
const COMPLAINT_NAMESPACE = '5d0c7f0e-8a3b-4c55-9f61-2b7e4a1d9c30';
const EVENT_NAMESPACE = 'b8f4e2a1-6c3d-4e7f-8a90-1c2d3e4f5a6b';

/**
 * A complaint's id follows from its tracking id, so the public tracking page finds the stream
 * without an index, and appending with `no_stream` makes a tracking id unique.
 */
export const complaintIdForTrackingId = (trackingId: string): string => uuidV5(trackingId.toUpperCase(), COMPLAINT_NAMESPACE);

/**
 * The ids of the events one command produces follow from the command's id, so a command that is
 * retried (a lost answer, an Idempotency-Key) writes the same ids and the store keeps one copy.
 */
export const eventIdFor = (commandId: string, index: number): string => uuidV5(`${commandId}#${index}`, EVENT_NAMESPACE);
