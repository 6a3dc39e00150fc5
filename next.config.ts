import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native and stream-heavy server packages stay outside the bundle.
  serverExternalPackages: ['dockerode', 'better-sqlite3', 'openpgp', 'tar-stream'],
  poweredByHeader: false,
  // The tests build into their own directory, so they never disturb a running `npm run demo`.
  distDir: process.env.LIFEBOAT_DIST_DIR || '.next',
};

export default nextConfig;
