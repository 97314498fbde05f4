import fc from 'fast-check';
import { parseSms, titleOf, type SmsIntent } from '../src/grammar/parse';
import { FORMAT, helpText } from '../src/grammar/replies';
import { isGsm7 } from '../src/segments/segment';

// The SMS 1708 grammar, as citizens actually type: any case, stray spaces and punctuation.

const KEYWORDS = new Map([
  ['NTT', 'pemprov-ntt'],
  ['TANGKAB', 'pemkab-tangerang'],
]);
const ID = 'LAP-7KQ2M9XH4D';

const when = (text: string): SmsIntent => parseSms(text, KEYWORDS);

describe('the SMS grammar', () => {
  describe('given free text', () => {
    it('when it says what is wrong, then it is a complaint to nasional, in single spaces', () => {
      expect(when('  Jalan   rusak di depan\tSDN 3 Kupang sejak Maret ')).toEqual({
        kind: 'submit',
        text: 'Jalan rusak di depan SDN 3 Kupang sejak Maret',
        keyword: null,
      });
    });

    it('when it is a greeting or a single word, then it gets help instead of becoming a complaint', () => {
      expect(when('halo')).toEqual({ kind: 'help', reason: 'too_short' });
      expect(when('p p')).toEqual({ kind: 'help', reason: 'too_short' });
    });

    it('when it starts with a word that merely begins like a tracking id (LAPOR, LAPANGAN), then it stays a complaint', () => {
      expect(when('Lapor pak, lampu jalan mati semua')).toMatchObject({ kind: 'submit', keyword: null });
      expect(when('Lapangan desa dipakai parkir liar')).toMatchObject({ kind: 'submit' });
    });

    it('when its first word is ten letters of the tracking-id alphabet (MASYARAKAT), then it is not read as an id', () => {
      expect(when('Masyarakat desa Oelamasi belum dapat air bersih')).toMatchObject({ kind: 'submit' });
    });

    it('when it is empty or only punctuation, then it gets help saying so', () => {
      expect(when('')).toEqual({ kind: 'help', reason: 'empty' });
      expect(when('   ')).toEqual({ kind: 'help', reason: 'empty' });
      expect(when('...!!')).toEqual({ kind: 'help', reason: 'empty' });
    });

    it('when it asks for help (BANTUAN, info, ?), then it gets the format', () => {
      for (const text of ['BANTUAN', 'info', 'Help!', '?', 'menu']) expect(when(text)).toEqual({ kind: 'help', reason: 'asked' });
    });
  });

  describe('given a regional keyword', () => {
    it('when followed by text, then the complaint goes to that instansi, whatever the case and punctuation', () => {
      for (const text of ['NTT jalan rusak di Oebobo', 'ntt: jalan rusak di Oebobo', '#Ntt, jalan rusak di Oebobo', '  NTT   -  jalan rusak di Oebobo']) {
        expect(when(text)).toEqual({ kind: 'submit', text: 'jalan rusak di Oebobo', keyword: { word: 'NTT', instansiId: 'pemprov-ntt' } });
      }
      expect(when('tangkab pungli di kantor kecamatan')).toMatchObject({ keyword: { instansiId: 'pemkab-tangerang' } });
    });

    it('when nothing follows it, then the sender is asked for the complaint', () => {
      expect(when('NTT')).toEqual({ kind: 'help', reason: 'keyword_without_text', keyword: 'NTT' });
    });

    it('when a word is not a configured keyword, then it is simply the start of a complaint to nasional', () => {
      expect(when('BALI jalan rusak di Denpasar')).toEqual({ kind: 'submit', text: 'BALI jalan rusak di Denpasar', keyword: null });
    });
  });

  describe('given STATUS', () => {
    it('when followed by a tracking id in any spelling, then it asks for that status', () => {
      for (const text of [
        `STATUS ${ID}`,
        'status lap-7kq2m9xh4d',
        'Status: LAP 7KQ2M9XH4D',
        'cek LAP7KQ2M9XH4D',
        'STATUS 7KQ2M9XH4D',
        `status ${ID} tolong dicek`,
      ]) {
        expect(when(text)).toEqual({ kind: 'status', trackingId: ID });
      }
    });

    it('when alone, then the sender is shown how', () => {
      expect(when('status')).toEqual({ kind: 'help', reason: 'status_without_id' });
    });

    it('when followed by something that is no tracking id, then the sender is told it is not recognised', () => {
      expect(when('STATUS LAP-0000011111')).toEqual({ kind: 'help', reason: 'invalid_tracking_id', attempted: 'LAP-0000011111' });
      expect(when('STATUS 12345')).toEqual({ kind: 'help', reason: 'invalid_tracking_id', attempted: '12345' });
    });

    it('when it opens a sentence about something else, then the sentence is a complaint', () => {
      expect(when('Status tanah sekolah kami tidak jelas')).toMatchObject({ kind: 'submit', keyword: null });
    });
  });

  describe('given a tracking id first', () => {
    it('when text follows, then it is the reporter responding on that complaint', () => {
      for (const text of [`${ID} jalan belum diperbaiki`, 'lap-7kq2m9xh4d: jalan belum diperbaiki', 'LAP 7KQ2M9XH4D - jalan belum diperbaiki']) {
        expect(when(text)).toEqual({ kind: 'respond', trackingId: ID, text: 'jalan belum diperbaiki' });
      }
    });

    it('when nothing follows, then the sender is shown how to respond', () => {
      expect(when(`${ID}.`)).toEqual({ kind: 'help', reason: 'respond_without_text', trackingId: ID });
    });

    it('when the id is mistyped (a 0 or an O), then the sender is told it is not recognised, not filed a complaint', () => {
      expect(when('LAP-7KQ2M9XH40 jalan belum diperbaiki')).toEqual({ kind: 'help', reason: 'invalid_tracking_id', attempted: 'LAP-7KQ2M9XH40' });
    });
  });
});

describe('the SMS grammar on anything at all', () => {
  it('never throws, and every complaint or reply it reads has text to act on', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: fc.constantFrom('N', 'T', 'L', 'A', 'P', '-', ' ', ':', '7', 'K', 'S', 'U') })),
        (text) => {
          const intent = parseSms(text, KEYWORDS);
          if (intent.kind === 'submit' || intent.kind === 'respond') expect(intent.text.trim()).not.toBe('');
          if (intent.kind === 'status' || intent.kind === 'respond') expect(intent.trackingId).toMatch(/^LAP-[2-9A-HJ-NP-Z]{10}$/);
        },
      ),
    );
  });
});

describe('complaint titles from an SMS', () => {
  it('are the first sentence, cut at a word past 80 characters', () => {
    expect(titleOf('Jalan rusak. Sudah tiga bulan.')).toBe('Jalan rusak.');
    const long = 'Jalan provinsi antara Kupang dan Soe berlubang besar di banyak titik sehingga membahayakan pengendara motor pada malam hari';
    const title = titleOf(long);
    expect(title.length).toBeLessThanOrEqual(80);
    expect(title.endsWith('...')).toBe(true);
    expect(long.startsWith(title.slice(0, -3))).toBe(true);
  });
});

describe('help texts', () => {
  it('are in Bahasa Indonesia, in plain GSM-7, and never empty', () => {
    const reasons = ['empty', 'asked', 'status_without_id', 'invalid_tracking_id', 'respond_without_text', 'keyword_without_text', 'too_short'] as const;
    for (const reason of reasons) {
      const text = helpText(reason, { trackingId: ID, attempted: 'LAP-XX', keyword: 'NTT' });
      expect(text.length).toBeGreaterThan(20);
      expect(isGsm7(text)).toBe(true);
    }
    expect(helpText('asked')).toContain(FORMAT);
  });
});
