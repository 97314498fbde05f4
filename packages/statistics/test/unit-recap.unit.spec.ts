import { unitRecap } from '../src';
import { day, Story, tree } from './story';

// a period is local dates in the zone of the door (NTT: WITA), both ends included
const YEAR_2024 = { period: { from: '2024-01-01', to: '2024-12-31' } };

describe('the per-unit recap (Rekapitulasi Kinerja Unit)', () => {
  it('given complaints at every stage, then each counts in its column, in the row of the unit it was disposed to', () => {
    const histories = [
      new Story('menunggu verifikasi', day('2024-03-01')).events,
      new Story('di PUPR belum ditindaklanjuti', day('2024-03-01')).verify(day('2024-03-02')).dispose('pupr', day('2024-03-02')).events,
      new Story('di PUPR proses', day('2024-03-01')).handledBy('pupr', day('2024-03-02'), day('2024-03-05')).events,
      new Story('di Dikbud selesai', day('2024-03-01')).handledBy('dikbud', day('2024-03-02'), day('2024-03-04')).complete(day('2024-03-20')).events,
      new Story('tunda', day('2024-03-01')).postpone(day('2024-03-02')).events,
      new Story('arsip', day('2024-03-01')).archive(day('2024-03-02')).events,
    ];
    const recap = unitRecap(histories, tree, { ...YEAR_2024, nodeId: 'ntt' });

    expect(recap.total).toMatchObject({
      belumTerverifikasi: 1,
      belumDitindaklanjuti: 1,
      proses: 1,
      selesai: 1,
      tunda: 1,
      arsip: 1,
      total: 4,
      persenTindakLanjut: 50,
    });
    expect(recap.below.map((row) => [row.nodeId, row.belumDitindaklanjuti, row.proses, row.selesai, row.total, row.persenTindakLanjut])).toEqual([
      ['pupr', 1, 1, 0, 2, 50],
      ['dikbud', 0, 0, 1, 1, 100],
    ]);
  });

  it('given a complaint at a sub-unit, then it rolls up into its unit’s row', () => {
    const atSubunit = new Story('di bidang SMA', day('2024-05-01'))
      .verify(day('2024-05-02'))
      .dispose('dikbud', day('2024-05-02'))
      .dispose('dikbud-sma', day('2024-05-03'), { role: 'liaison', id: 'pp-dikbud', nodeId: 'dikbud' });
    const recap = unitRecap([atSubunit.events], tree, { ...YEAR_2024, nodeId: 'ntt' });
    expect(recap.below.find((row) => row.nodeId === 'dikbud')).toMatchObject({ belumDitindaklanjuti: 1, total: 1 });
  });

  it('given a past moment, then the table is the one that stood then, and later events do not change it', () => {
    const story = new Story('selesai di Februari', day('2024-12-20')).handledBy('pupr', day('2024-12-21'), day('2024-12-27')).complete(day('2025-02-10'));
    const endOfYear = unitRecap([story.events], tree, { ...YEAR_2024, nodeId: 'ntt', asOf: new Date('2024-12-31T23:59:59+08:00') });
    const march = unitRecap([story.events], tree, { ...YEAR_2024, nodeId: 'ntt', asOf: new Date('2025-03-01T00:00:00+08:00') });
    expect(endOfYear.total).toMatchObject({ proses: 1, selesai: 0 });
    expect(march.total).toMatchObject({ proses: 0, selesai: 1 });
  });

  it('counts only what was received in the period', () => {
    const histories = [
      new Story('2023', day('2023-12-31', 23)).events,
      new Story('2024', day('2024-01-01', 0)).events,
      new Story('2025', day('2025-01-01', 0)).events,
    ];
    expect(unitRecap(histories, tree, { ...YEAR_2024, nodeId: 'ntt' }).total.belumTerverifikasi).toBe(1);
  });

  it('RTL is the average days from disposition to first follow-up, RHP the average rating, RV the days to verification', () => {
    const histories = [
      new Story('a', day('2024-06-03'))
        .verify(day('2024-06-04'))
        .dispose('pupr', day('2024-06-04'))
        .followUp('pupr', day('2024-06-06'))
        .complete(day('2024-06-20'))
        .rate(5, day('2024-06-21')).events,
      new Story('b', day('2024-06-03'))
        .verify(day('2024-06-07'))
        .dispose('pupr', day('2024-06-07'))
        .followUp('pupr', day('2024-06-13'))
        .complete(day('2024-06-30'))
        .rate(4, day('2024-07-01')).events,
    ];
    const pupr = unitRecap(histories, tree, { ...YEAR_2024, nodeId: 'ntt' }).below.find((row) => row.nodeId === 'pupr')!;
    expect(pupr).toMatchObject({ selesai: 2, rtl: 4, rhp: 4.5, rv: 2.5, persenTindakLanjut: 100 });
  });

  it('reproduces the totals of the NTT 2024 report: 48 complaints, 44 Selesai, 4 Arsip, %TL 100, RHP 5.00', () => {
    const units = tree.childrenOf('ntt').map((node) => node.id);
    const histories = [];
    for (let i = 0; i < 44; i++) {
      const unit = units[i % units.length]!;
      histories.push(
        new Story(`selesai-${i}`, day('2024-02-01'))
          .handledBy(unit, day('2024-02-02'), day('2024-02-09'))
          .complete(day('2024-03-01'))
          .rate(5, day('2024-03-02')).events,
      );
    }
    for (let i = 0; i < 4; i++) histories.push(new Story(`arsip-${i}`, day('2024-04-01')).archive(day('2024-04-02')).events);
    const recap = unitRecap(histories, tree, { ...YEAR_2024, nodeId: 'ntt' });
    expect(recap.total).toMatchObject({ total: 44, selesai: 44, arsip: 4, persenTindakLanjut: 100, rtl: 7, rhp: 5 });
  });

  it('shows a unit with nothing as zeros, not as missing', () => {
    expect(unitRecap([], tree, { ...YEAR_2024, nodeId: 'ntt' }).below).toEqual([
      expect.objectContaining({ nodeId: 'pupr', total: 0, persenTindakLanjut: 0, rtl: 0, rhp: 0, rv: 0 }),
      expect.objectContaining({ nodeId: 'dikbud', total: 0, persenTindakLanjut: 0, rtl: 0, rhp: 0, rv: 0 }),
    ]);
  });
});
