import { createHmac, hkdfSync } from 'node:crypto';
import type { E164 } from './e164';

const REF_PREFIX = 'sms-';

/**
 * The complaint's reporter reference for an SMS sender: a keyed hash of the E.164 number. The
 * number space is small (an Indonesian mobile number has ~10 digits), so a plain hash could be
 * reversed by trying them all; without the key it cannot, and the key is not in the database.
 */
export const reporterRefForPhone = (key: Buffer, phone: E164): string =>
  `${REF_PREFIX}${createHmac('sha256', key).update(`lapor.sms.reporter\n${phone}`, 'utf8').digest('hex')}`;

/** The reporter key derived from the master key, so a deployment configures one secret, not two. */
export const reporterKeyFromMasterKey = (master: Buffer): Buffer =>
  Buffer.from(hkdfSync('sha256', master, 'lapor-sms', 'reporter reference of an SMS sender', 32));

/** A keyed fingerprint of whatever identifies a message, for telling a retry from a reused id. */
export const keyedFingerprint = (key: Buffer, parts: readonly string[]): string =>
  createHmac('sha256', key)
    .update(`lapor.sms.fingerprint\n${JSON.stringify(parts)}`, 'utf8')
    .digest('hex');
