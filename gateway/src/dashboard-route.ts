import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `pnpm --filter @lapor/dashboard build` writes the dashboard (not committed: built by infra/start.sh and infra/test.sh). */
export const DASHBOARD_DIST = join(__dirname, '..', '..', 'packages', 'dashboard', 'dist');

// Everything from this origin, nothing inline or from elsewhere: the page holds a staff token in
// memory, so no other script may run beside it. Styles come as files (Vite emits no inline style tags);
// the %TL bars set a width through the style attribute, hence 'unsafe-inline' for style attributes alone.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/**
 * The internal dashboard at /dashboard/, served from the built files in both modes (it calls the
 * public API of this same origin). Without a build, /dashboard answers how to make one.
 */
export async function dashboardRoute(app: FastifyInstance, options: { root?: string } = {}): Promise<void> {
  const root = options.root ?? DASHBOARD_DIST;
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      void reply.header('content-security-policy', CSP);
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('referrer-policy', 'no-referrer');
    });
    scope.get('/dashboard', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/dashboard/'));
    if (!existsSync(join(root, 'index.html'))) {
      scope.get('/dashboard/*', { schema: { hide: true } }, async (_request, reply) =>
        reply.code(503).type('text/plain; charset=utf-8').send('Dasbor belum dibangun: jalankan `pnpm --filter @lapor/dashboard build`.\n'),
      );
      return;
    }
    await scope.register(fastifyStatic, { root, prefix: '/dashboard/', index: 'index.html', wildcard: true, schemaHide: true });
  });
}
