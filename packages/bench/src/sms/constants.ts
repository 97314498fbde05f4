import type { OrganisationNode } from '@lapor/domain';

/** Shared by the benchmark and the server it starts (importing server.ts would start a server). */
export const JWT_SECRET = 'bench-secret-bench-secret-bench-secret';
export const BENCH_PROVIDER = 'bench-telco';
export const BENCH_SECRET = 'bench-telco-webhook-secret-0123456789';
export const BENCH_NODES: OrganisationNode[] = [
  { kind: 'nasional', id: 'nasional', name: 'Admin Nasional', parentId: null },
  { kind: 'instansi', id: 'pemprov-ntt', name: 'Pemerintah Provinsi Nusa Tenggara Timur', parentId: 'nasional', timeZone: 'Asia/Makassar' },
];
