import { complaintEventTypes, type ComplaintEvent } from '@lapor/domain';
import fc from 'fast-check';
import { deliveredEvent, deliveryBody } from '../src/payload';
import { WEBHOOK_BODIES } from '../src/schemas';
import { COMPLAINT_ID, KEY_ID, REPORTER_REF, SEALED, sampleEvents } from './samples';

// A receiver is an agency's system: it hears what happens to its complaints, never who complained.

const delivered = (event: ComplaintEvent) =>
  deliveredEvent({
    eventId: 'e1b2c3d4-0000-4000-8000-000000000001',
    type: event.type,
    schemaVersion: event.schemaVersion,
    complaintId: COMPLAINT_ID,
    trackingId: 'LAP-7KQ2M9XH4D',
    recordedAt: event.data.at,
    data: event.data,
  });

describe('the delivered payload', () => {
  it('has a sample of every complaint event type (a new type needs one here, and a decision in publicData)', () => {
    expect(
      sampleEvents()
        .map((event) => event.type)
        .sort(),
    ).toEqual([...complaintEventTypes()].sort());
  });

  it.each(sampleEvents().map((event) => [event.type, event] as const))(
    'given %s, then the body is exactly what the API document’s webhook schema for that type says (nothing more, nothing less)',
    (_type, event) => {
      for (const replay of [false, true]) {
        const body = JSON.parse(deliveryBody(delivered(event), replay)) as unknown;
        // zod drops keys its schema does not name: equal after parsing means none was left undocumented
        expect(WEBHOOK_BODIES.get(event.type)!.parse(body)).toEqual(body);
      }
    },
  );

  it.each(sampleEvents().map((event) => [event.type, event] as const))(
    'given %s carrying the reporter’s identity, then the body holds none of it',
    (_type, event) => {
      const body = deliveryBody(delivered(event), false);
      expect(body).not.toContain(SEALED);
      expect(body).not.toContain(KEY_ID);
      expect(body).not.toContain(REPORTER_REF);
      const parsed = JSON.parse(body) as { data: Record<string, unknown> };
      expect(parsed.data).not.toHaveProperty('reporter');
      expect(parsed.data).not.toHaveProperty('reporterRef');
    },
  );

  it('given the reporter acted, then `by` says a reporter did, and not which', () => {
    const replied = sampleEvents().find((event) => event.type === 'ReporterReplied')!;
    expect(delivered(replied).data.by).toEqual({ role: 'reporter', id: null, nodeId: null });
  });

  it('keeps what the agency needs: the substance, the door, its own reference, who on the staff acted', () => {
    const [submitted, verified] = sampleEvents();
    const body = JSON.parse(deliveryBody(delivered(submitted!), true)) as Record<string, unknown> & { data: Record<string, unknown> };
    expect(body).toMatchObject({
      type: 'ComplaintSubmitted',
      complaintId: COMPLAINT_ID,
      trackingId: 'LAP-7KQ2M9XH4D',
      replay: true,
      occurredAt: '2025-03-03T01:00:00.000Z',
    });
    expect(body.data).toMatchObject({
      title: 'Jalan rusak',
      description: 'Berlubang sejak Maret',
      externalReference: 'SIMPEL-2025-0042',
      addressedTo: { id: 'pemprov-ntt' },
    });
    expect(delivered(verified!).data.by).toEqual({ role: 'admin_instansi', id: 'admin-ntt', nodeId: 'pemprov-ntt' });
  });

  it('for any identity and reference, then no delivered event contains them', () => {
    const secret = fc.string({ minLength: 24, maxLength: 64, unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789+/=_-') });
    fc.assert(
      fc.property(secret, secret, secret, (sealed, keyId, reporterRef) => {
        for (const event of sampleEvents({ sealed, keyId, reporterRef })) {
          const body = deliveryBody(delivered(event), false);
          expect(body).not.toContain(sealed);
          expect(body).not.toContain(keyId);
          expect(body).not.toContain(reporterRef);
        }
      }),
    );
  });
});
