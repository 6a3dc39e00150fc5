// npm run bench:restore: a backup of a bulk volume and ucp-kv restored onto ctrl-3 through Lifeboat's API
// (without, then with, the safety copy; the engine over its unix socket, then over mutual TLS) against
// `gpg --decrypt` to a RAM disk, then stop, empty, `docker cp -`, start; and its verification (a dry run)
// against `gpg --decrypt > /dev/null`. Best of 3, interleaved, in one run (the restore with the safety
// copy: one run); markdown tables on stdout.
import path from 'node:path';
import { datasetBytes, docker, ensureFilled, helperFor, main, selectedDatasets, volumesOf, withLab, type Dataset } from './bench-lab';
import { cliRestore, cliVerify } from './cli';
import { backup, deleteArchive, download, measured, restore, startLifeboat, type Lifeboat, type Transport } from './lifeboat';
import { comparison, COMPARISON_HEADER, memorySpread, mib, rate, Runs, secs, table } from './report';

const TRANSPORTS: Transport[] = ['unix', 'tls'];
const TIME_TARGET = { unix: 1.0, tls: 0.9 };
const VERIFY_TARGET = 0.9;
const RSS_LIMIT_MIB = 150;

type Archive = { backupId: string; file: string };

/** One backup of each dataset, by a server that then stops: the restores' servers start afresh on its data dir. */
async function makeArchives(work: string, dataDir: string, datasets: Dataset[]) {
  const archives = new Map<string, Archive>();
  const lifeboat = await startLifeboat(dataDir, 'unix', 'backup');
  try {
    for (const dataset of datasets) {
      const { value } = await backup(lifeboat, volumesOf(dataset));
      const file = path.join(work, `${dataset.key}.tar.gpg`);
      await download(lifeboat, value.id, file);
      archives.set(dataset.key, { backupId: value.id, file });
    }
  } finally {
    await lifeboat.server.stop();
  }
  return archives;
}

/**
 * Best of `runs` for the restore and the verification, interleaved with the CLI's (which goes with the
 * unix socket's runs: the CLI always uses that socket); the restore with the safety copy runs once.
 */
async function runDataset(lifeboat: Lifeboat, dataset: Dataset, archive: Archive, runs: Runs) {
  const helper = lifeboat.transport === 'unix' ? await helperFor(dataset, 'rw') : null;
  const key = `${dataset.key} ${lifeboat.transport}`;
  try {
    for (let i = 1; i <= dataset.runs; i++) {
      if (helper) {
        runs.add(`${dataset.key} cli restore`, await cliRestore(dataset, helper, lifeboat.ucpContainers, archive.file));
        runs.add(`${dataset.key} cli verify`, await cliVerify(archive.file));
      }
      runs.add(`${key} restore`, await measured(lifeboat, () => restore(lifeboat, { backupId: archive.backupId, skipSafetyBackup: 'true' })));
      if (dataset.safetyCopy && i === 1) {
        const safe = await measured(lifeboat, () => restore(lifeboat, { backupId: archive.backupId }));
        await deleteArchive(lifeboat, safe.record.safetyBackupId!);
        runs.add(`${key} safety`, safe);
      }
      runs.add(`${key} verify`, await measured(lifeboat, () => restore(lifeboat, { backupId: archive.backupId, dryRun: 'true' }), false));
      console.error(`bench: ${dataset.label}, run ${i} of ${dataset.runs}: ${runs.progress()}`);
    }
  } finally {
    if (helper) await docker('rm', helper);
  }
}

main(() =>
  withLab(async (work) => {
    const datasets = selectedDatasets();
    const bytes = new Map<string, number>();
    for (const dataset of datasets) {
      await ensureFilled(dataset);
      bytes.set(dataset.key, await datasetBytes(dataset));
    }
    const dataDir = path.join(work, 'data');
    const archives = await makeArchives(work, dataDir, datasets);
    const runs = new Runs();
    let containers: string[] = [];
    for (const transport of TRANSPORTS) {
      const lifeboat = await startLifeboat(dataDir, transport, 'restore');
      containers = lifeboat.ucpContainers;
      try {
        for (const dataset of datasets) await runDataset(lifeboat, dataset, archives.get(dataset.key)!, runs);
      } finally {
        await lifeboat.server.stop();
      }
    }

    const rows = datasets.flatMap((dataset) => {
      const [cli, gpg] = [runs.best(`${dataset.key} cli restore`), runs.best(`${dataset.key} cli verify`)];
      return TRANSPORTS.flatMap((transport) => {
        const lifeboat = (job: string) => runs.best(`${dataset.key} ${transport} ${job}`);
        const row = (job: string, figures: string[]) => [dataset.label, transport, job, ...figures];
        return [
          row('restore', comparison(cli, lifeboat('restore'), { ratio: TIME_TARGET[transport], downtime: cli.downtime + 1, rssMiB: RSS_LIMIT_MIB })),
          ...(dataset.safetyCopy ? [row('restore with safety copy (one run)', comparison(cli, lifeboat('safety')))] : []),
          row('verification', comparison(gpg, lifeboat('verify'), { ratio: VERIFY_TARGET }, false)),
        ];
      });
    });
    const cliSteps = datasets.map((dataset) => {
      const [size, { steps }, gpg] = [bytes.get(dataset.key)!, runs.best(`${dataset.key} cli restore`), runs.best(`${dataset.key} cli verify`)];
      return [dataset.label, mib(size), rate(size, steps.decrypt), secs(steps.stop), secs(steps.empty), rate(size, steps.write), secs(steps.start), rate(size, gpg.seconds)];
    });
    const header = ['restore', "Lifeboat's engine link", 'job', ...COMPARISON_HEADER];
    console.log(`\nBest of ${datasets.map((d) => `${d.runs} (${d.label})`).join(', ')}. Both sides stop ${containers.join(', ')}.\n`);
    console.log(table(header, rows));
    console.log();
    console.log(
      table(['CLI steps', 'size', 'gpg --decrypt -o /dev/shm/…', 'docker stop', 'empty the volumes', 'docker cp -', 'docker start', 'gpg --decrypt > /dev/null'], cliSteps),
    );
    console.log();
    console.log(memorySpread('restore RSS above idle (no safety copy)', datasets, TRANSPORTS, (dataset, transport) => runs.best(`${dataset.key} ${transport} restore`).rss));
  }),
);
