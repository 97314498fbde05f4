import { complaintIdForTrackingId } from '@lapor/workflow';
import { signStaffToken } from '@lapor/http-kit';
import { randomUUID } from 'node:crypto';
import { HttpSmsSender, OutboxDispatcher } from '../src';
import { adminNasional, smsWorld, type SmsWorld } from './support/world';

// The outbox against a fake provider on a real port: outages delay messages and lose none, a
// refusal is final and recorded, long texts are split as SMS requires, and the reporter hears
// when their complaint moves.

describe('SMS 1708 outbox and notices (PostgreSQL, a real HTTP provider)', () => {
  let world: SmsWorld;
  afterEach(async () => {
    await world.close();
  });

  const submit = async (from: string, text: string, messageId = `m-${randomUUID()}`) => {
    const answer = await world.sms({ messageId, from, text });
    expect(answer.status).toBe(200);
    return answer.body.trackingId as string;
  };
  const statuses = () => world.db.query<{ status: string; n: string }>(`SELECT status, count(*)::text AS n FROM sms.outbox GROUP BY status ORDER BY status`);

  it('given the provider failing with 5xx for a while, then every reply is delivered once it recovers, exactly once, none lost (two dispatchers at it)', async () => {
    world = await smsWorld('sms-outage');
    // a second copy of the service's dispatcher on the same outbox
    const other = new OutboxDispatcher({
      db: world.db,
      vault: world.context.vault,
      sender: new HttpSmsSender(world.config.outbound!),
      maxParts: 3,
      retry: world.config.retry,
      leaseMs: 10_000,
    });
    other.start(50);
    try {
      world.provider.downFor(1_200);
      const senders = Array.from({ length: 12 }, (_, i) => `0812555500${String(i).padStart(2, '0')}`);
      await Promise.all(senders.map((from, i) => submit(from, `Keluhan nomor ${i}: jalan rusak di RT ${i}`)));
      // down: nothing got through, nothing was dropped
      expect(world.provider.delivered).toHaveLength(0);
      await world.eventually(async () => (await world.count(`SELECT count(*) AS n FROM sms.outbox WHERE status = 'pending' AND attempts > 0`)) > 0);

      await world.eventually(() => world.provider.delivered.length >= senders.length, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const references = world.provider.delivered.map((sms) => sms.reference);
      expect(new Set(references).size).toBe(senders.length);
      expect(references).toHaveLength(senders.length); // none twice
      for (const from of senders) expect(world.provider.deliveredTo(`+62${from.slice(1)}`)).toHaveLength(1);
      expect(world.provider.requests.filter((request) => request.status === 500).length).toBeGreaterThan(0);
      expect(await statuses()).toEqual([{ status: 'sent', n: String(senders.length) }]);
      // each attempt carried the message's own reference, for a provider that drops duplicates
      for (const request of world.provider.requests) expect(request.headers['idempotency-key']).toBe(request.body.reference);
    } finally {
      await other.stop();
    }
  });

  it('given the provider not answering in time, then the message is tried again and delivered', async () => {
    world = await smsWorld('sms-timeout', { outboundTimeoutMs: 300 });
    world.provider.hangNext(1);
    await submit('081255550006', 'Antrean di puskesmas Oesapa sangat panjang');
    await world.eventually(() => world.provider.deliveredTo('+6281255550006').length === 1);
    expect(world.provider.requests.map((request) => request.status)).toEqual([0, 200]);
    expect(world.logLines.some((line) => line.includes('no answer within 300 ms'))).toBe(true);
  });

  it('given the provider refusing a number (4xx), then that message fails for good with the reason, is not retried, is logged, and shows in the outbox summary', async () => {
    world = await smsWorld('sms-refused');
    world.provider.refuse('+6281255550099');
    await submit('081255550099', 'Pelayanan di kantor kelurahan sangat lambat');
    await world.eventually(async () => (await world.count(`SELECT count(*) AS n FROM sms.outbox WHERE status = 'failed'`)) === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(world.provider.requests).toHaveLength(1);
    const [failed] = await world.db.query<{ last_error: string; attempts: number }>(`SELECT last_error, attempts FROM sms.outbox WHERE status = 'failed'`);
    expect(failed!.last_error).toContain('HTTP 400');
    expect(failed!.last_error).not.toContain('55550099'); // the provider echoed the number; it is not kept
    expect(world.logLines.some((line) => line.includes('sms failed for good') && line.includes('HTTP 400'))).toBe(true);

    const admin = await world.context.staffAccounts.create({
      username: 'admin-nasional',
      role: 'admin_nasional',
      nodeId: 'nasional',
      password: 'sms-test-password',
    });
    const token = signStaffToken(world.app, admin);
    const summary = await world.app.inject({ method: 'GET', url: '/channels/sms/outbox', headers: { authorization: `Bearer ${token}` } });
    expect(summary.statusCode).toBe(200);
    expect(summary.json()).toMatchObject({ pending: 0, sent: 0, failed: 1, recentFailures: [{ attempts: 1, reason: expect.stringContaining('HTTP 400') }] });
    expect((await world.app.inject({ method: 'GET', url: '/channels/sms/outbox' })).statusCode).toBe(401);
  });

  it('given status changes of a complaint that came by SMS, then the reporter is told of each, and not of their own reply', async () => {
    world = await smsWorld('sms-notices');
    const phone = '+6281255550001';
    const trackingId = await submit('081255550001', 'NTT lampu lalu lintas di simpang Kuanino mati');
    const complaintId = complaintIdForTrackingId(trackingId);
    await world.eventually(() => world.provider.deliveredTo(phone).length === 1); // the tracking id
    await world.verifyAndDisposeToPupr(complaintId);
    await world.eventually(() => world.provider.deliveredTo(phone).length === 2);
    expect(world.provider.deliveredTo(phone)[1]!.text).toBe(`Laporan ${trackingId} diteruskan ke Dinas PUPR Provinsi NTT untuk ditindaklanjuti. -LAPOR!`);

    await world.followUp(complaintId, 'Lampu sudah diganti oleh petugas');
    await world.eventually(() => world.provider.deliveredTo(phone).length === 3);
    expect(world.provider.deliveredTo(phone)[2]!.text).toBe(
      `Tindak lanjut laporan ${trackingId} dari Dinas PUPR Provinsi NTT: Lampu sudah diganti oleh petugas. Tanggapi: ${trackingId} <pesan>. -LAPOR!`,
    );

    await world.sms({ messageId: `m-${randomUUID()}`, from: phone, text: `${trackingId} terima kasih, sudah menyala` });
    await world.eventually(() => world.provider.deliveredTo(phone).length === 4); // the acknowledgement only
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(world.provider.deliveredTo(phone)).toHaveLength(4);
    expect(await world.eventTypes(complaintId)).toEqual(['ComplaintSubmitted', 'ComplaintVerified', 'ComplaintDisposed', 'FollowUpPosted', 'ReporterReplied']);
  });

  it('given the provider down while a complaint moves several times, then the notices arrive once each, in the order it moved', async () => {
    world = await smsWorld('sms-order');
    const phone = '+6281255550005';
    const trackingId = await submit('081255550005', 'NTT sekolah rusak atapnya bocor di Kefamenanu');
    const complaintId = complaintIdForTrackingId(trackingId);
    await world.eventually(() => world.provider.deliveredTo(phone).length === 1);
    world.provider.downFor(800);
    await world.verifyAndDisposeToPupr(complaintId);
    await world.followUp(complaintId, 'Tim survei datang Senin');
    await world.followUp(complaintId, 'Atap diperbaiki Kamis');
    await world.eventually(() => world.provider.deliveredTo(phone).length === 4, 20_000);
    const texts = world.provider.deliveredTo(phone).map((sms) => sms.text);
    expect(texts[1]).toContain('diteruskan ke Dinas PUPR');
    expect(texts[2]).toContain('Tim survei datang Senin');
    expect(texts[3]).toContain('Atap diperbaiki Kamis');
    expect(world.provider.requests.some((request) => request.status === 500)).toBe(true);
  });

  it('given a long follow-up, then the notice is split into concatenated parts, and cut with "..." past the maximum', async () => {
    world = await smsWorld('sms-long', { maxParts: 3 });
    const phone = '+6281255550002';
    const trackingId = await submit('081255550002', 'NTT drainase di Jalan El Tari tersumbat');
    const complaintId = complaintIdForTrackingId(trackingId);
    await world.verifyAndDisposeToPupr(complaintId);
    const long = Array.from({ length: 60 }, (_, i) => `langkah${i}`).join(' ');
    await world.followUp(complaintId, long);
    await world.eventually(() => world.provider.deliveredTo(phone).some((sms) => sms.text.startsWith('Tindak lanjut')));
    const notice = world.provider.deliveredTo(phone).find((sms) => sms.text.startsWith('Tindak lanjut'))!;
    expect(notice.encoding).toBe('GSM-7');
    expect(notice.parts).toHaveLength(3);
    for (const part of notice.parts) expect(part.length).toBeLessThanOrEqual(153);
    expect(notice.parts.join('')).toBe(notice.text);
    expect(notice.text.endsWith('...')).toBe(true);

    // a non-GSM character turns the message to UCS-2: 67 per part
    await world.followUp(complaintId, 'Perbaikan selesai ✅ mohon dicek kembali oleh warga sekitar lokasi saluran air tersebut');
    await world.eventually(() => world.provider.deliveredTo(phone).some((sms) => sms.encoding === 'UCS-2'));
    const unicode = world.provider.deliveredTo(phone).find((sms) => sms.encoding === 'UCS-2')!;
    expect(unicode.parts.length).toBeGreaterThan(1);
    for (const part of unicode.parts) expect(part.length).toBeLessThanOrEqual(67);
  });

  it('given a help reply sent, then its own sealed copy of the number is destroyed; a complaint whose personal data was erased gets no notice', async () => {
    world = await smsWorld('sms-erasure');
    await world.sms({ messageId: 'help-1', from: '081255550003', text: 'halo' });
    await world.eventually(() => world.provider.deliveredTo('+6281255550003').length === 1);
    await world.eventually(async () => (await world.count(`SELECT count(*) AS n FROM personal_data.data_keys WHERE complaint_id LIKE 'sms-message-%'`)) === 0);

    const trackingId = await submit('081255550004', 'NTT pungutan liar di terminal Oebobo');
    const complaintId = complaintIdForTrackingId(trackingId);
    await world.eventually(() => world.provider.deliveredTo('+6281255550004').length === 1);
    await world.context.vault.erase(complaintId, adminNasional.id);
    await world.verifyAndDisposeToPupr(complaintId);
    await world.eventually(async () => (await world.count(`SELECT count(*) AS n FROM sms.outbox WHERE status = 'failed'`)) === 1);
    const [failed] = await world.db.query<{ last_error: string }>(`SELECT last_error FROM sms.outbox WHERE status = 'failed'`);
    expect(failed!.last_error).toContain('erased');
    expect(world.provider.deliveredTo('+6281255550004')).toHaveLength(1);
  });
});
