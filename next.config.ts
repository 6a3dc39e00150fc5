import type { NextConfig } from 'next';

/**
 * On every response: no page of Lifeboat's may be framed (clickjacking a revoke or a restore button),
 * no response sniffed as another type, and no URL (ids, node names) leaked to another site. Pages get
 * their full CSP, with a nonce, from proxy.ts; everything else (JSON, archives, files) runs nothing.
 */
const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
];
const noContentPolicy = { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" };

const nextConfig: NextConfig = {
  // Native and stream-heavy server packages stay outside the bundle.
  serverExternalPackages: ['dockerode', 'better-sqlite3', 'openpgp', 'tar-stream', 'prom-client'],
  poweredByHeader: false,
  // The tests build into their own directory, so they never disturb a running `npm run demo`.
  distDir: process.env.LIFEBOAT_DIST_DIR || '.next',
  // `npm test` has run tsc over the whole project, route types included (`next typegen`), before it builds.
  typescript: { ignoreBuildErrors: process.env.LIFEBOAT_TYPES_CHECKED === '1' },
  headers: async () => [
    { source: '/:path*', headers: securityHeaders },
    { source: '/api/:path*', headers: [noContentPolicy] },
  ],
};

export default nextConfig;
