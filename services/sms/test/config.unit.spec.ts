import { randomBytes } from 'node:crypto';
// the demo organisation's NTT, read without depending on the gateway (which will depend on this package)
import { NTT_ID } from '../../../gateway/src/seed/demo-organisation';
import { DEMO_NTT_INSTANSI_ID, smsConfigFromEnv, SmsConfigError } from '../src/config';
import { reporterKeyFromMasterKey } from '../src/phone/reporter-ref';

// The channel's configuration from the environment: bad values stop the service, naming the variable.

const MASTER = randomBytes(32);
const base = { LAPOR_MASTER_KEY: MASTER.toString('base64') };

describe('the SMS configuration', () => {
  it('given nothing but the master key, then NTT reaches the demo organisation’s NTT, no provider is trusted and replies wait', () => {
    const config = smsConfigFromEnv(base);
    expect(DEMO_NTT_INSTANSI_ID).toBe(NTT_ID);
    expect(config.keywords).toEqual(new Map([['NTT', NTT_ID]]));
    expect(config.providers.size).toBe(0);
    expect(config.outbound).toBeNull();
    expect(config.maxParts).toBe(5);
    expect(config.signatureToleranceMs).toBe(300_000);
    expect(config.reporterKey.equals(reporterKeyFromMasterKey(MASTER))).toBe(true);
  });

  it('given variables set to nothing (compose passes unset ones so), then they count as absent', () => {
    const config = smsConfigFromEnv({ ...base, LAPOR_SMS_OUTBOUND_URL: '', LAPOR_SMS_PROVIDERS: '', LAPOR_SMS_KEYWORDS: ' ' });
    expect(config.outbound).toBeNull();
    expect(config.providers.size).toBe(0);
    expect(config.keywords).toEqual(new Map([['NTT', NTT_ID]]));
  });

  it('given providers, one twice, then each provider keeps every secret listed (rotation)', () => {
    const config = smsConfigFromEnv({ ...base, LAPOR_SMS_PROVIDERS: 'Telco:secret-one-0123456789, telco:secret-two-0123456789,other:other-secret-01234567' });
    expect(config.providers).toEqual(
      new Map([
        ['telco', ['secret-one-0123456789', 'secret-two-0123456789']],
        ['other', ['other-secret-01234567']],
      ]),
    );
  });

  it('given regional keywords, then they replace the default, upper-cased', () => {
    expect(smsConfigFromEnv({ ...base, LAPOR_SMS_KEYWORDS: 'tangkab:pemkab-tangerang,NTT:pemprov-ntt' }).keywords).toEqual(
      new Map([
        ['TANGKAB', 'pemkab-tangerang'],
        ['NTT', 'pemprov-ntt'],
      ]),
    );
  });

  it('given an outbound URL, then replies go there with the token and the short code', () => {
    expect(smsConfigFromEnv({ ...base, LAPOR_SMS_OUTBOUND_URL: 'https://sms.example.id/send', LAPOR_SMS_OUTBOUND_TOKEN: 't0k3n' }).outbound).toEqual({
      url: 'https://sms.example.id/send',
      token: 't0k3n',
      timeoutMs: 10_000,
      from: '1708',
    });
  });

  it.each([
    [{ LAPOR_SMS_PROVIDERS: 'telco:short' }, 'LAPOR_SMS_PROVIDERS'],
    [{ LAPOR_SMS_KEYWORDS: 'STATUS:pemprov-ntt' }, 'LAPOR_SMS_KEYWORDS'],
    [{ LAPOR_SMS_OUTBOUND_URL: 'ftp://sms.example.id' }, 'LAPOR_SMS_OUTBOUND_URL'],
    [{ LAPOR_SMS_MAX_PARTS: '0' }, 'LAPOR_SMS_MAX_PARTS'],
    [{ LAPOR_SMS_REPORTER_KEY: Buffer.alloc(8).toString('base64') }, 'LAPOR_SMS_REPORTER_KEY'],
  ])('given %o, then it is refused naming %s', (env, variable) => {
    expect(() => smsConfigFromEnv({ ...base, ...env })).toThrow(SmsConfigError);
    expect(() => smsConfigFromEnv({ ...base, ...env })).toThrow(variable);
  });

  it('given neither a reporter key nor a master key, then it is refused naming both', () => {
    expect(() => smsConfigFromEnv({})).toThrow(/LAPOR_SMS_REPORTER_KEY.*LAPOR_MASTER_KEY/);
    expect(smsConfigFromEnv({}, { masterKey: MASTER }).reporterKey.equals(reporterKeyFromMasterKey(MASTER))).toBe(true);
  });
});
