import { complaintIdForTrackingId } from '@lapor/workflow';
import { randomUUID } from 'node:crypto';
import { NTT, PUPR, adminNtt, smsWorld, type SmsWorld } from './support/world';

// SMS 1708 end to end on a real PostgreSQL: the provider posts signed SMS to the webhook, the
// complaint is recorded, and the answer reaches the sender's handset through a fake provider on a
// real port. Each test uses numbers and message ids of its own.

describe('SMS 1708 inbound (PostgreSQL, a real HTTP provider)', () => {
  let world: SmsWorld;
  beforeAll(async () => {
    world = await smsWorld('sms-inbound');
  });
  afterAll(async () => {
    await world.close();
  });

  const messageId = () => `m-${randomUUID()}`;
  const submit = async (from: string, text: string) => {
    const answer = await world.sms({ messageId: messageId(), from, text });
    expect(answer.status).toBe(200);
    return answer.body.trackingId as string;
  };
  const lastSmsTo = async (to: string, count = 1) => {
    await world.eventually(() => world.provider.deliveredTo(to).length >= count);
    return world.provider.deliveredTo(to).at(-1)!;
  };

  it('given a signed SMS of free text, then a complaint on sms_1708 goes to nasional and the sender gets its tracking id by SMS', async () => {
    const answer = await world.sms({ messageId: 'telco-0001', from: '0812-1111-0001', text: 'Lampu jalan di Jl. Timor Raya mati sejak seminggu' });
    expect(answer).toMatchObject({ status: 200, body: { messageId: 'telco-0001', action: 'submitted', repliesQueued: 1 } });
    const trackingId = answer.body.trackingId as string;
    expect(trackingId).toMatch(/^LAP-[2-9A-HJ-NP-Z]{10}$/);

    const complaint = await world.context.repository.load(complaintIdForTrackingId(trackingId));
    expect(complaint.state).toMatchObject({ submitted: true, channel: 'sms_1708', status: 'BELUM_TERVERIFIKASI', addressedTo: { id: 'nasional' } });
    const submitted = complaint.events[0]!;
    expect(submitted.type === 'ComplaintSubmitted' && submitted.data).toMatchObject({
      description: 'Lampu jalan di Jl. Timor Raya mati sejak seminggu',
      by: { role: 'integration' },
    });
    // the identity is sealed; the phone is nowhere in the event
    expect(JSON.stringify(submitted.data)).not.toContain('1111');

    const sms = await lastSmsTo('+6281211110001');
    expect(sms.text).toContain(trackingId);
    expect(sms.text).toContain('STATUS');
    expect(sms.from).toBe('1708');
  });

  it('given a regional keyword, then the complaint goes straight to that instansi and the reply names it', async () => {
    const trackingId = await submit('+62 812 1111 0002', 'NTT: jembatan di Kecamatan Amarasi putus');
    const complaint = await world.context.repository.load(complaintIdForTrackingId(trackingId));
    expect(complaint.state).toMatchObject({ addressedTo: { id: NTT }, holder: { id: NTT } });
    expect((await lastSmsTo('+6281211110002')).text).toContain('Pemerintah Provinsi Nusa Tenggara Timur');
  });

  it('given the provider retries a message, then the retry is answered the same, stores nothing new and sends no second SMS', async () => {
    const message = { messageId: 'telco-retry-1', from: '081211110003', text: 'Pungli di loket pembuatan KTP kecamatan' };
    const first = await world.sms(message);
    const events = await world.count(`SELECT count(*) AS n FROM eventstore.events`);
    const outbox = await world.count(`SELECT count(*) AS n FROM sms.outbox`);
    const again = await world.sms(message);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await world.count(`SELECT count(*) AS n FROM eventstore.events`)).toBe(events);
    expect(await world.count(`SELECT count(*) AS n FROM sms.outbox`)).toBe(outbox);
    await lastSmsTo('+6281211110003');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(world.provider.deliveredTo('+6281211110003')).toHaveLength(1);
  });

  it('given a request that died after submitting and before answering, then the provider’s retry takes it over: the same complaint, one reply', async () => {
    const message = { messageId: 'telco-crash-1', from: '081211110011', text: 'NTT ambulans desa tidak bisa dipakai' };
    const first = await world.sms(message);
    const trackingId = first.body.trackingId as string;
    const events = await world.count(`SELECT count(*) AS n FROM eventstore.events`);
    // as the dead request left it: claimed a while ago, its complaint appended, nothing answered or queued
    await world.db.query(
      `UPDATE sms.inbound_messages SET state = 'processing', answer = NULL, claimed_at = now() - interval '2 minutes' WHERE message_id = 'telco-crash-1'`,
    );
    await world.db.query(`DELETE FROM sms.outbox WHERE key = 'reply:telco:telco-crash-1'`);
    const retried = await world.sms(message);
    expect(retried.body).toMatchObject({ action: 'submitted', trackingId });
    expect(await world.count(`SELECT count(*) AS n FROM eventstore.events`)).toBe(events);
    expect(await world.count(`SELECT count(*) AS n FROM sms.outbox WHERE key = 'reply:telco:telco-crash-1'`)).toBe(1);
  });

  it('given a retry while the first request is still being handled, then it is told to come back (409), not handled twice', async () => {
    const message = { messageId: 'telco-busy-1', from: '081211110012', text: 'NTT listrik padam di Kelurahan Oesapa' };
    await world.sms(message);
    await world.db.query(`UPDATE sms.inbound_messages SET state = 'processing', answer = NULL, claimed_at = now() WHERE message_id = 'telco-busy-1'`);
    const busy = await world.sms(message);
    expect(busy.status).toBe(409);
    expect(busy.headers['retry-after']).toBe('5');
  });

  it('given another text under a message id already used, then it is refused naming body.messageId', async () => {
    await world.sms({ messageId: 'telco-reused', from: '081211110004', text: 'Sampah menumpuk di pasar Oeba' });
    const reused = await world.sms({ messageId: 'telco-reused', from: '081211110004', text: 'Air PDAM mati tiga hari' });
    expect(reused.status).toBe(409);
    expect(reused.headers['content-type']).toContain('application/problem+json');
    expect(reused.body.errors).toEqual([expect.objectContaining({ field: 'body.messageId' })]);
  });

  describe('given a request that is not properly signed', () => {
    const refusals: Array<[string, Parameters<SmsWorld['sms']>[1]]> = [
      ['a wrong secret', { secret: 'not-the-provider-secret-000' }],
      ['no signature headers', { headers: null }],
      ['a stale timestamp (over 5 minutes)', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
      ['an unknown provider', { headers: { 'x-lapor-sms-provider': 'other', 'x-lapor-sms-timestamp': '1', 'x-lapor-sms-signature': 'sha256=00' } }],
    ];
    it.each(refusals)('when it has %s, then it is 401 problem+json and nothing at all is stored', async (_case, sign) => {
      const before = await Promise.all(
        ['eventstore.events', 'sms.inbound_messages', 'sms.outbox', 'personal_data.data_keys'].map((table) =>
          world.count(`SELECT count(*) AS n FROM ${table}`),
        ),
      );
      const answer = await world.sms({ messageId: messageId(), from: '081211110005', text: 'Jalan rusak parah di desa Baumata' }, sign);
      expect(answer.status).toBe(401);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ type: 'https://lapor.go.id/problems/unauthorized', status: 401 });
      const after = await Promise.all(
        ['eventstore.events', 'sms.inbound_messages', 'sms.outbox', 'personal_data.data_keys'].map((table) =>
          world.count(`SELECT count(*) AS n FROM ${table}`),
        ),
      );
      expect(after).toEqual(before);
    });

    it('when it has no body at all, then it is 401 too', async () => {
      const response = await world.app.inject({ method: 'POST', url: '/channels/sms/inbound' });
      expect(response.statusCode).toBe(401);
    });
  });

  it('given a signed SMS from something that is no mobile number, then it is 422 naming body.from and nothing is stored', async () => {
    const answer = await world.sms({ messageId: 'telco-bad-from', from: 'TELKOMSEL', text: 'Promo paket data murah hari ini' });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'body.from' })]);
    expect(await world.count(`SELECT count(*) AS n FROM sms.inbound_messages WHERE message_id = 'telco-bad-from'`)).toBe(0);
  });

  it('given STATUS with the sender’s tracking id, then the status comes back in Bahasa Indonesia; from another number, it is not found', async () => {
    const trackingId = await submit('081211110006', 'NTT saluran irigasi di Kupang Timur jebol');
    const status = await world.sms({ messageId: messageId(), from: '+6281211110006', text: `status ${trackingId.toLowerCase()}` });
    expect(status.body).toMatchObject({ action: 'status', trackingId });
    const answer = await lastSmsTo('+6281211110006', 2);
    expect(answer.text).toContain(`Status laporan ${trackingId}: Belum Terverifikasi`);
    expect(answer.text).toContain('Pemerintah Provinsi Nusa Tenggara Timur');

    const stranger = await world.sms({ messageId: messageId(), from: '081299990006', text: `STATUS ${trackingId}` });
    expect(stranger.body).toMatchObject({ action: 'refused', reason: 'not_found' });
    expect((await lastSmsTo('+6281299990006')).text).toContain('tidak ditemukan untuk nomor HP ini');
  });

  it('given a reply "<tracking id> text" after a follow-up, then it lands on the complaint as the reporter’s reply', async () => {
    const trackingId = await submit('081211110007', 'NTT jalan ke Desa Noelbaki berlubang dan tergenang');
    const complaintId = complaintIdForTrackingId(trackingId);
    // before any follow-up there is nothing to reply to: the sender is told so
    const early = await world.sms({ messageId: messageId(), from: '081211110007', text: `${trackingId} kapan diperbaiki?` });
    expect(early.body).toMatchObject({ action: 'refused', reason: 'no_follow_up' });

    await world.verifyAndDisposeToPupr(complaintId);
    await world.followUp(complaintId, 'Perbaikan dijadwalkan minggu depan.');
    const reply = await world.sms({ messageId: messageId(), from: '0812 1111 0007', text: `${trackingId.toLowerCase()}: sampai sekarang belum ada perbaikan` });
    expect(reply.body).toMatchObject({ action: 'replied', trackingId });
    const loaded = await world.context.repository.load(complaintId);
    const replied = loaded.events.at(-1)!;
    expect(replied.type).toBe('ReporterReplied');
    expect(replied.type === 'ReporterReplied' && replied.data).toMatchObject({
      message: 'sampai sekarang belum ada perbaikan',
      by: { role: 'reporter', id: loaded.state.submitted ? loaded.state.reporterRef : '' },
    });
    await world.eventually(() =>
      world.provider.deliveredTo('+6281211110007').some((sms) => sms.text.includes('Tanggapan Anda') && sms.text.includes('Dinas PUPR')),
    );
  });

  it('given a complaint in Tunda, then "<tracking id> text" supplies the missing data', async () => {
    const trackingId = await submit('081211110008', 'NTT bantuan sosial tidak diterima keluarga kami');
    const complaintId = complaintIdForTrackingId(trackingId);
    await world.act(
      { type: 'RequestMissingData', data: { complaintId, requestId: randomUUID(), message: 'Mohon sebutkan nama desa dan nomor KK.' } },
      adminNtt,
    );
    await world.eventually(() => world.provider.deliveredTo('+6281211110008').some((sms) => sms.text.includes('ditunda')));
    const supplied = await world.sms({ messageId: messageId(), from: '081211110008', text: `${trackingId} Desa Oelnasi, KK 5301010101010001` });
    expect(supplied.body).toMatchObject({ action: 'missing_data_supplied' });
    expect(await world.eventTypes(complaintId)).toContain('MissingDataSupplied');
    expect((await world.context.repository.load(complaintId)).state).toMatchObject({ status: 'BELUM_TERVERIFIKASI' });
  });

  it('given someone else’s tracking id with text, then nothing is added and the sender is told it is not theirs', async () => {
    const trackingId = await submit('081211110009', 'NTT puskesmas tutup pada jam pelayanan');
    const before = await world.eventTypes(complaintIdForTrackingId(trackingId));
    const answer = await world.sms({ messageId: messageId(), from: '081299990009', text: `${trackingId} ini laporan saya juga` });
    expect(answer.body).toMatchObject({ action: 'refused', reason: 'not_found' });
    expect(await world.eventTypes(complaintIdForTrackingId(trackingId))).toEqual(before);
  });

  it('given text that cannot be acted on, then the sender gets help in Indonesian, never silence', async () => {
    for (const [text, reason] of [
      ['', 'empty'],
      ['halo', 'too_short'],
      ['STATUS', 'status_without_id'],
      ['STATUS LAP-ABCDEFGH00', 'invalid_tracking_id'],
    ] as const) {
      const from = `08121111${String(1000 + text.length).slice(-4)}`;
      const count = world.provider.deliveredTo(`+62${from.slice(1)}`).length;
      const answer = await world.sms({ messageId: messageId(), from, text });
      expect(answer.body).toMatchObject({ action: 'help', reason, repliesQueued: 1 });
      const sms = await lastSmsTo(`+62${from.slice(1)}`, count + 1);
      expect(sms.text).toMatch(/LAPOR!$/);
    }
  });

  it('given an unknown tracking id, then the sender is told it was not found', async () => {
    const answer = await world.sms({ messageId: messageId(), from: '081211110010', text: 'STATUS LAP-2222222222' });
    expect(answer.body).toMatchObject({ action: 'refused', reason: 'not_found' });
    expect((await lastSmsTo('+6281211110010')).text).toContain('LAP-2222222222 tidak ditemukan');
  });

  it('never puts a sender’s number in a log line, an event, or the SMS tables in clear', async () => {
    const numbers = ['1211110001', '1211110002', '1211110003', '1211110006', '1211110007', '1299990006'];
    // the log was captured (at trace level), so its silence about the numbers means something
    expect(world.logLines.some((line) => line.includes('sms received'))).toBe(true);
    expect(world.logLines.some((line) => line.includes('sms sent'))).toBe(true);
    const logs = world.logLines.join('\n');
    const events = JSON.stringify(await world.db.query(`SELECT data, metadata FROM eventstore.events`));
    const tables = JSON.stringify(
      await Promise.all(['sms.inbound_messages', 'sms.outbox', 'sms.complaints', 'consumers.applied'].map((table) => world.db.query(`SELECT * FROM ${table}`))),
    );
    for (const number of numbers) {
      expect(logs).not.toContain(number);
      expect(events).not.toContain(number);
      expect(tables).not.toContain(number);
    }
    expect(PUPR).toBeDefined();
  });
});
