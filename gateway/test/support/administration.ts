import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';

// What the administration specs share on the embedded gateway: the unit list an instansi uploads,
// signing in, a complaint brought to a unit, and the recap read in either structure.

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The onboarding's answer, as far as the specs read it. */
export type OnboardingResult = {
  valid: boolean;
  changed: boolean;
  units: Array<{ row: number; id: string; name: string; parentId: string; status: string }>;
  liaisons: Array<{ row: number; email: string; unitId: string; status: string; resetCode?: string; resetCodeExpiresAt?: string }>;
  problems: Array<{ row: number; column: string; message: string }>;
};

/** An instansi's unit list as it keeps it (the seeds' 2023 table): No, Unit Kerja, Induk, Nama Penghubung, Email. */
export async function unitWorkbook(rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Unit Kerja');
  sheet.addRow(['No', 'Unit Kerja', 'Induk', 'Nama Penghubung', 'Email']);
  rows.forEach((row, index) => sheet.addRow([index + 1, ...row]));
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The access token of a sign-in that must work. */
export async function signedIn(app: FastifyInstance, username: string, password: string): Promise<string> {
  const answer = await app.inject({ method: 'POST', url: '/auth/token', payload: { username, password } });
  if (answer.statusCode !== 200) throw new Error(`sign-in as ${username}: ${answer.statusCode} ${answer.body}`);
  return answer.json<{ accessToken: string }>().accessToken;
}

/** A complaint a citizen addresses to `addressedTo`, verified and disposed to `to` by its admin: its id. */
export async function disposedComplaint(
  app: FastifyInstance,
  adminToken: string,
  complaint: { addressedTo: string; to: string; title: string; category: string },
): Promise<string> {
  const submitted = await app.inject({
    method: 'POST',
    url: '/complaints',
    payload: {
      kind: 'pengaduan',
      channel: 'web',
      title: complaint.title,
      description: `${complaint.title}: mohon ditindaklanjuti.`,
      addressedTo: complaint.addressedTo,
    },
  });
  const { complaintId } = submitted.json<{ complaintId: string }>();
  const verified = await app.inject({
    method: 'POST',
    url: `/complaints/${complaintId}/verification`,
    headers: bearer(adminToken),
    payload: { slaClass: 'tanpa_pengawasan', category: complaint.category },
  });
  if (verified.statusCode !== 200) throw new Error(`verification: ${verified.statusCode} ${verified.body}`);
  const disposed = await app.inject({
    method: 'POST',
    url: `/complaints/${complaintId}/dispositions`,
    headers: bearer(adminToken),
    payload: { to: complaint.to },
  });
  if (disposed.statusCode !== 200) throw new Error(`disposition: ${disposed.statusCode} ${disposed.body}`);
  return complaintId;
}

export type RecapRow = { nodeId: string; name: string; belumDitindaklanjuti: number; total: number };
export type Recap = { structure: string; total: RecapRow; below: RecapRow[] };

/** The recap below `nodeId` for a period, as-of by default or in the current structure. */
export async function recapOf(
  app: FastifyInstance,
  token: string,
  query: { nodeId: string; from: string; to: string; structure?: 'as-of' | 'current'; asOf?: string },
): Promise<Recap> {
  const { nodeId, from, to, structure, asOf } = query;
  const answer = await app.inject({
    method: 'GET',
    url: '/statistics/recap',
    query: { nodeId, from, to, ...(structure ? { structure } : {}), ...(asOf ? { asOf } : {}) },
    headers: bearer(token),
  });
  return answer.json<Recap>();
}

export const rowOf = (recap: Recap, nodeId: string): RecapRow | undefined => recap.below.find((row) => row.nodeId === nodeId);
