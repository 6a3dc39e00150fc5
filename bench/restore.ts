// npm run bench:restore: a restore of the 1 GiB backup through Lifeboat's API (it verifies the whole
// archive before it writes a byte) against `gpg --decrypt | docker cp - <helper>:/` (which verifies
// nothing before writing), in the same run, on the lab's ctrl-3. Prints the ratio, peak RSS, downtime.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { prepareDataDir, startServer, type TestServer } from '../e2e/support/server';
import { docker, dockerHost, ensureBenchVolume, mbps, MiB, NODE, PASSPHRASE, peakRss, sh, timed, VOLUME, volumeBytes, withLab } from './bench-lab';

async function api(server: TestServer, route: string, init: RequestInit = {}) {
  return fetch(`${server.url}${route}`, { ...init, headers: { Authorization: `Bearer ${server.token}`, ...init.headers } });
}

async function main() {
  await withLab(async (work) => {
    await ensureBenchVolume();
    const bytes = await volumeBytes();
    const dataDir = path.join(work, 'data');
    fs.mkdirSync(dataDir);
    const server = await startServer(dataDir, await prepareDataDir(dataDir, 'unix'));
    try {
      const response = await api(server, '/api/v1/backups', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ node: NODE, passphrase: PASSPHRASE, volumes: [VOLUME] }),
      });
      const archive = path.join(work, 'backup.tar.gpg');
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), fs.createWriteStream(archive));
      const backupId = response.headers.get('x-backup-id')!;

      const helper = (await docker('create', '-v', `${VOLUME}:/${VOLUME}`, 'lifeboat-lab/busybox:latest', 'true')).stdout.trim();
      const cli = await timed(() =>
        sh(`gpg --batch --quiet --pinentry-mode loopback --passphrase '${PASSPHRASE}' --decrypt ${archive} | /usr/bin/docker -H ${dockerHost()} cp - ${helper}:/`),
      );
      await docker('rm', helper);

      const form = new FormData();
      for (const [name, value] of Object.entries({ node: NODE, passphrase: PASSPHRASE, dryRun: 'false', backupId, skipSafetyBackup: 'true' })) form.set(name, value);
      const measured = await peakRss(server.process.pid!, () => timed(async () => (await api(server, '/api/v1/restores', { method: 'POST', body: form })).json()));
      const restore = measured.value.value as { status: string; error: unknown; downtimeMs: number };
      if (restore.status !== 'succeeded') throw new Error(`restore ${restore.status}: ${JSON.stringify(restore.error)}`);
      const verifyOnly = new FormData();
      for (const [name, value] of Object.entries({ node: NODE, passphrase: PASSPHRASE, dryRun: 'true', backupId })) verifyOnly.set(name, value);
      const verify = await timed(async () => (await api(server, '/api/v1/restores', { method: 'POST', body: verifyOnly })).json());

      const rate = (seconds: number) => mbps(bytes, seconds);
      console.log(`\nrestore of ${(bytes / MiB).toFixed(0)} MiB (${VOLUME} on ${NODE}), ${os.cpus().length} cores`);
      console.log(`  gpg --decrypt | docker cp - (verifies nothing first)   ${cli.seconds.toFixed(2)} s  ${rate(cli.seconds)}`);
      console.log(`  Lifeboat API, verification only (dry run)             ${verify.seconds.toFixed(2)} s  ${rate(verify.seconds)}`);
      console.log(`  Lifeboat API, restore (verify, then write)            ${measured.value.seconds.toFixed(2)} s  ${rate(measured.value.seconds)}`);
      console.log(`    ratio to the CLI ${(cli.seconds / measured.value.seconds).toFixed(2)} (target >= 0.70)`);
      console.log(`    server RSS growth ${((measured.peak - measured.baseline) / MiB).toFixed(0)} MiB (peak ${(measured.peak / MiB).toFixed(0)} MiB)`);
      console.log(`    downtime ${(restore.downtimeMs / 1000).toFixed(2)} s (containers stopped during the write pass only)`);
    } finally {
      await server.stop();
    }
  });
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
