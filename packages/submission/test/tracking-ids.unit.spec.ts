import { generateTrackingId, isTrackingId } from '@lapor/domain';
import { derivedKey, masterKey } from '@lapor/personal-data';
import { createHash, randomBytes } from 'node:crypto';
import { TRACKING_ID_KEY_PURPOSE, trackingIdForCommand, trackingIdForExternalReference } from '../src/tracking-ids';

// Tracking ids that follow from what was sent are keyed with the server's secret: the same input
// under the same secret is the same id (a retry meets its complaint), and nobody without the
// secret can compute one from an instansi and its ticket number, or from an Idempotency-Key.

const keyOf = (master = masterKey(randomBytes(32))) => derivedKey(master, TRACKING_ID_KEY_PURPOSE);

describe('keyed tracking ids', () => {
  const key = keyOf();

  it('given the same scope and reference under the same secret, then the same tracking id, a valid one', () => {
    const first = trackingIdForExternalReference(key, 'instansi:ntt', 'SIMPEL-991');
    expect(trackingIdForExternalReference(key, 'instansi:ntt', 'SIMPEL-991')).toBe(first);
    expect(isTrackingId(first)).toBe(true);
  });

  it('given another instansi or another reference, then another tracking id', () => {
    const first = trackingIdForExternalReference(key, 'instansi:ntt', 'SIMPEL-991');
    expect(trackingIdForExternalReference(key, 'instansi:sikka', 'SIMPEL-991')).not.toBe(first);
    expect(trackingIdForExternalReference(key, 'instansi:ntt', 'SIMPEL-992')).not.toBe(first);
    // a reference is taken as sent: case matters in ticket numbers
    expect(trackingIdForExternalReference(key, 'instansi:ntt', 'simpel-991')).not.toBe(first);
  });

  it('given the same Idempotency-Key under the same secret, then the same id; under another secret, another', () => {
    const commandId = '5f1d6a1e-8c55-4c4c-9a57-3c2b1f0e9d11';
    expect(trackingIdForCommand(key, commandId)).toBe(trackingIdForCommand(key, commandId));
    expect(trackingIdForCommand(keyOf(), commandId)).not.toBe(trackingIdForCommand(key, commandId));
    expect(trackingIdForExternalReference(keyOf(), 'instansi:ntt', 'SIMPEL-991')).not.toBe(trackingIdForExternalReference(key, 'instansi:ntt', 'SIMPEL-991'));
  });

  it('given the unkeyed derivations an attacker could compute (as before), then neither is the id', () => {
    const unkeyed = (text: string) => generateTrackingId((size) => createHash('sha256').update(text).digest().subarray(0, size));
    expect(trackingIdForExternalReference(key, 'instansi:ntt', 'SIMPEL-991')).not.toBe(unkeyed('lapor-external-reference\ninstansi:ntt\nSIMPEL-991'));
    expect(trackingIdForCommand(key, '5f1d6a1e-8c55-4c4c-9a57-3c2b1f0e9d11')).not.toBe(unkeyed('5f1d6a1e-8c55-4c4c-9a57-3c2b1f0e9d11'));
  });

  it('given one master key, then the derived key is stable and differs from the master key and from other purposes', () => {
    const master = masterKey(randomBytes(32));
    expect(derivedKey(master, TRACKING_ID_KEY_PURPOSE)).toEqual(derivedKey(master, TRACKING_ID_KEY_PURPOSE));
    expect(derivedKey(master, TRACKING_ID_KEY_PURPOSE)).not.toEqual(master.key);
    expect(derivedKey(master, TRACKING_ID_KEY_PURPOSE)).not.toEqual(derivedKey(master, 'something else'));
  });
});
