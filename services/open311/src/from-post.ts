import { ReporterIdentity } from '@lapor/personal-data';
import type { SubmissionBody } from '@lapor/submission';
import { Open311Error } from './errors';
import { encodePlace, normalisePhone, titleFromDescription } from './mapping';
import type { PostRequestBody } from './schemas';
import { serviceFor } from './services';

/** A form sends every field, filled or not: an empty one is one not sent. */
const given = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
};

function coordinate(name: 'lat' | 'long', value: number | string | undefined, limit: number): number | undefined {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined;
  const parsed = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(parsed) || Math.abs(parsed) > limit)
    throw new Open311Error(400, [`${name}: a WGS84 ${name === 'lat' ? 'latitude' : 'longitude'} in degrees, from -${limit} to ${limit}`]);
  return parsed;
}

/**
 * A GeoReport v2 POST as our submission, on the integration channel, addressed to `addressedTo`.
 * Every problem with the request is collected and answered at once (400), as Open311 clients show
 * the whole list to their user.
 */
export function submissionFromPost(body: PostRequestBody, addressedTo: string): SubmissionBody {
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (error instanceof Open311Error) problems.push(...error.descriptions);
      else throw error;
      return undefined;
    }
  };

  const service = serviceFor(body.service_code);
  if (!service) problems.push(`service_code: ${body.service_code} is not offered here; GET services.json lists the codes.`);
  const description = given(body.description);
  if (!description) problems.push('description: say what happened; it is required.');

  const lat = attempt(() => coordinate('lat', body.lat, 90));
  const long = attempt(() => coordinate('long', body.long, 180));
  const badCoordinates = problems.some((problem) => problem.startsWith('lat:') || problem.startsWith('long:'));
  const address = given(body.address_string) ?? (given(body.address_id) ? `ID alamat ${given(body.address_id)}` : undefined);
  const both = lat !== undefined && long !== undefined;
  const location = encodePlace({ address: address ?? null, lat: both ? lat : null, long: both ? long : null });
  if (!badCoordinates && (lat === undefined) !== (long === undefined)) problems.push('lat and long: send both, or neither and an address_string.');
  else if (!badCoordinates && location === null) problems.push('location: send lat and long, or an address_string; one is required.');

  const reporter = attempt(() => reporterOf(body));
  if (problems.length > 0 || !service || !description) throw new Open311Error(400, problems);
  return {
    kind: service.service_code,
    channel: 'integration',
    title: titleFromDescription(description),
    description,
    ...(location ? { location } : {}),
    addressedTo,
    ...(reporter ? { reporter } : {}),
    anonymous: false,
    confidential: false,
  };
}

/** The reporter as the app knows them; none when the app sent nothing about them. */
function reporterOf(body: PostRequestBody): ReporterIdentity | undefined {
  const first = given(body.first_name);
  const last = given(body.last_name);
  const email = given(body.email);
  const rawPhone = given(body.phone);
  if (!first && !last && !email && !rawPhone) return undefined;
  const problems: string[] = [];
  const phone = rawPhone === undefined ? undefined : (normalisePhone(rawPhone) ?? undefined);
  if (rawPhone !== undefined && phone === undefined) problems.push('phone: not a number we can reach, e.g. +6281234567890 or 081234567890.');
  const identity = ReporterIdentity.safeParse({
    // our identity needs a name; a reporter who gave only a way to reach them has none on record
    name: [first, last].filter(Boolean).join(' ') || 'Tidak disebutkan',
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
  });
  if (!identity.success) {
    for (const issue of identity.error.issues) {
      const field = issue.path[0] === 'name' ? 'first_name/last_name' : String(issue.path[0]);
      problems.push(field === 'email' ? 'email: not an e-mail address.' : `${field}: ${issue.message}`);
    }
  }
  if (problems.length > 0) throw new Open311Error(400, problems);
  return identity.data;
}
