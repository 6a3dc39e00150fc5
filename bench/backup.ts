// npm run bench:backup: a backup of a 1 GiB volume through Lifeboat's API, against the CLI pipeline
// `docker cp | gpg --symmetric` and a raw `docker cp` (every byte through the engine's archive API),
// in the same run, on the lab's ctrl-3. Prints throughput, ratios, the server's peak RSS and the downtime.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { prepareDataDir, startServer, type TestServer } from '../e2e/support/server';
import { docker, dockerHost, ensureBenchVolume, mbps, MiB, NODE, PASSPHRASE, peakRss, sh, timed, ucpContainers, VOLUME, volumeBytes, withLab } from './bench-lab';

/** The client takes the stream and checks it (SHA-256), without a disk write of its own: the gpg pipeline writes its output once, Lifeboat stores its archive once. */
async function backupThroughLifeboat(server: TestServer) {
  const response = await fetch(`${server.url}/api/v1/backups`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ node: NODE, passphrase: PASSPHRASE, volumes: [VOLUME] }),
  });
  if (response.status !== 200) throw new Error(`backup refused: ${await response.text()}`);
  const hash = createHash('sha256');
  for await (const chunk of Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>)) hash.update(chunk);
  const id = response.headers.get('x-backup-id')!;
  const record = await (await fetch(`${server.url}/api/v1/backups/${id}`, { headers: { Authorization: `Bearer ${server.token}` } })).json();
  if (record.status !== 'succeeded') throw new Error(`backup ${record.status}: ${record.error}`);
  if (record.sha256 !== hash.digest('hex')) throw new Error('the streamed archive differs from the stored one');
  return record as { downtimeMs: number; encryptedBytes: number };
}

async function main() {
  await withLab(async (work) => {
    await ensureBenchVolume();
    const bytes = await volumeBytes();
    const helper = (await docker('create', '-v', `${VOLUME}:/v:ro`, 'lifeboat-lab/busybox:latest', 'true')).stdout.trim();
    const host = dockerHost();
    const raw = await timed(() => sh(`/usr/bin/docker -H ${host} cp ${helper}:/v - > /dev/null`));
    const gpg = await timed(() =>
      sh(
        `/usr/bin/docker -H ${host} cp ${helper}:/v - | gpg --batch --pinentry-mode loopback --passphrase '${PASSPHRASE}' --symmetric --cipher-algo AES256 -z 0 -o ${work}/cli.tar.gpg`,
      ),
    );
    await docker('rm', helper);
    const ucp = await ucpContainers();
    const stopStart = await timed(async () => {
      await docker('stop', ...ucp);
      await docker('start', ...ucp);
    });

    const results = [];
    for (const transport of ['unix', 'tls'] as const) {
      const dataDir = path.join(work, `data-${transport}`);
      fs.mkdirSync(dataDir);
      const server = await startServer(dataDir, await prepareDataDir(dataDir, transport));
      try {
        const measured = await peakRss(server.process.pid!, () => timed(() => backupThroughLifeboat(server)));
        results.push({
          transport,
          seconds: measured.value.seconds,
          downtimeMs: measured.value.value.downtimeMs,
          rssGrowth: measured.peak - measured.baseline,
          peak: measured.peak,
        });
      } finally {
        await server.stop();
      }
    }

    const rate = (seconds: number) => mbps(bytes, seconds);
    console.log(`\nbackup of ${(bytes / MiB).toFixed(0)} MiB (${VOLUME} on ${NODE}), ${os.cpus().length} cores`);
    console.log(`  raw docker cp (the ceiling)        ${raw.seconds.toFixed(2)} s  ${rate(raw.seconds)}`);
    console.log(`  docker cp | gpg --symmetric -z 0   ${gpg.seconds.toFixed(2)} s  ${rate(gpg.seconds)}`);
    console.log(`  UCP containers stop + start        ${stopStart.seconds.toFixed(2)} s  (${ucp.length} containers)`);
    for (const r of results) {
      const downtimeBudget = raw.seconds + stopStart.seconds + 1;
      console.log(`  Lifeboat API (engine over ${r.transport.padEnd(4)})     ${r.seconds.toFixed(2)} s  ${rate(r.seconds)}`);
      console.log(`    ratio to the gpg pipeline ${(gpg.seconds / r.seconds).toFixed(2)} (target >= 0.90), to raw ${(raw.seconds / r.seconds).toFixed(2)}`);
      console.log(`    server RSS growth ${(r.rssGrowth / MiB).toFixed(0)} MiB (peak ${(r.peak / MiB).toFixed(0)} MiB; target < 100 MiB growth)`);
      console.log(`    downtime ${(r.downtimeMs / 1000).toFixed(2)} s (target <= raw read + stop/start + 1 s = ${downtimeBudget.toFixed(2)} s)`);
    }
  });
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
