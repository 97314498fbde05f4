import { createLaporClient, type LaporClient } from '@lapor/api-client';
import type { Zone } from './format';

// The token lives in this module's memory only: never localStorage or a cookie, so a script injected
// into another page of the origin cannot read it later and nothing survives the tab. The price: a
// reload signs the user out (the token lasts 8 hours; signing in again is one form).
let token: string | undefined;

export const api: LaporClient = createLaporClient(location.origin, { token: () => token });

export interface Session {
  readonly username: string;
  readonly role: string;
  readonly nodeId: string;
  readonly nodeName: string;
  readonly zone: Zone;
  readonly nodes: readonly OrgNode[];
}

export interface OrgNode {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly timeZone: Zone | null;
  readonly kind: string;
}

export const ROLE_NAMES: Record<string, string> = {
  admin_nasional: 'Admin Nasional',
  admin_instansi: 'Admin Instansi',
  liaison: 'Penghubung',
};

/** Sign in, then read the organisation for the user's node name and its instansi's time zone. */
export async function signIn(username: string, password: string): Promise<Session | string> {
  const answer = await api.POST('/auth/token', { body: { username, password } });
  if (!answer.data) return problemText(answer.error, 'Nama pengguna atau kata sandi salah.');
  token = answer.data.accessToken;
  const org = await api.GET('/organisation');
  const nodes = (org.data?.nodes ?? []) as OrgNode[];
  const byId = new Map(nodes.map((node) => [node.id, node]));
  let zone: Zone = 'Asia/Jakarta';
  for (let node = byId.get(answer.data.nodeId); node; node = node.parentId ? byId.get(node.parentId) : undefined) {
    if (node.timeZone) {
      zone = node.timeZone;
      break;
    }
  }
  return { username, role: answer.data.role, nodeId: answer.data.nodeId, nodeName: byId.get(answer.data.nodeId)?.name ?? answer.data.nodeId, zone, nodes };
}

export async function signOut(): Promise<void> {
  await api.POST('/auth/sign-out');
  token = undefined;
}

/** The API's problem+json in words: its field messages when it names fields, else its detail. */
export function problemText(error: unknown, fallback: string): string {
  const problem = error as { detail?: string; title?: string; errors?: { field: string; message: string }[] } | undefined;
  if (problem?.errors?.length) return problem.errors.map((entry) => `${entry.field}: ${entry.message}`).join('; ');
  return problem?.detail ?? problem?.title ?? fallback;
}

/** Downloads a file route (an export) with the token and hands it to the browser as a save. */
export async function download(path: string, query: Record<string, string>): Promise<string | undefined> {
  const response = await fetch(`${path}?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${token ?? ''}` } });
  if (!response.ok) return problemText(await response.json().catch(() => undefined), `Gagal mengunduh (${response.status}).`);
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'rekap';
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  return undefined;
}
