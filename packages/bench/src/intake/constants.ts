/** Shared by the benchmark and the server it starts (importing server.ts would start a server). */
export const BENCH_JWT_SECRET = 'bench-secret-bench-secret-bench-secret';
export const BENCH_PASSWORD = 'bench-password';
