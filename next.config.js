import createNextIntlPlugin from 'next-intl/plugin'

const withNextIntl = createNextIntlPlugin('./i18n/request.ts')

/** @type {import('next').NextConfig} */
const nextConfig = {
  // a second build directory lets a build run beside a server that uses the first
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // native and wasm server dependencies must not be bundled
  serverExternalPackages: ['argon2', '@electric-sql/pglite', 'pglite-prisma-adapter', 'pino', 'prom-client'],
  poweredByHeader: false,
  // Metadata (the <title>) is rendered before the page, into <head>, for every browser, not
  // streamed after the body as Next.js does for those it does not count as bots: a page whose
  // content shows before its title is a page without a name to a screen reader, and to an
  // accessibility scan, until the rest of the stream arrives (docs/architecture.md#page-titles)
  htmlLimitedBots: /.*/,
  // `npm run typecheck` checks the whole project (tests and scripts included) as a step of its own
  typescript: { ignoreBuildErrors: true },
  experimental: {
    serverActions: { bodySizeLimit: '64kb' },
  },
}

export default withNextIntl(nextConfig)
