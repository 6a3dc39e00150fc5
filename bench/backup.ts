// npm run bench:backup: ctrl-3's UCP stopped, a bulk volume and ucp-kv copied, encrypted and stored, UCP
// started again: through Lifeboat's API (the engine over its unix socket, and over mutual TLS) against
// `docker stop; docker cp | gpg --symmetric; docker start`, with the raw read of the same volumes as the
// ceiling. Best of 3, interleaved, in one run; markdown tables on stdout.
import path from 'node:path';
import { datasetBytes, docker, ensureFilled, helperFor, main, selectedDatasets, volumesOf, withLab, type Dataset } from './bench-lab';
import { cliBackup, rawReadTls, rawReadUnix } from './cli';
import { backup, deleteArchive, measured, startLifeboat, type Lifeboat } from './lifeboat';
import { comparison, COMPARISON_HEADER, memorySpread, mib, rate, Runs, secs, table } from './report';

const TIME_TARGET = { unix: 1.0, tls: 0.9 };
const RSS_LIMIT_MIB = 100;

/** Best of `runs`, interleaved: the raw reads, the CLI, Lifeboat over each transport. */
async function runDataset(lifeboats: Lifeboat[], dataset: Dataset, cliArchive: string, runs: Runs) {
  const helper = await helperFor(dataset, 'ro');
  try {
    for (let i = 1; i <= dataset.runs; i++) {
      runs.add(`${dataset.key} raw unix`, { seconds: await rawReadUnix(helper) });
      runs.add(`${dataset.key} raw tls`, { seconds: await rawReadTls(helper) });
      runs.add(`${dataset.key} cli`, await cliBackup(helper, lifeboats[0].ucpContainers, cliArchive));
      for (const lifeboat of lifeboats) {
        const run = await measured(lifeboat, () => backup(lifeboat, volumesOf(dataset)));
        await deleteArchive(lifeboat, run.record.id);
        runs.add(`${dataset.key} ${lifeboat.transport}`, run);
      }
      console.error(`bench: ${dataset.label}, run ${i} of ${dataset.runs}: ${runs.progress()}`);
    }
  } finally {
    await docker('rm', helper);
  }
}

main(() =>
  withLab(async (work) => {
    const datasets = selectedDatasets();
    for (const dataset of datasets) await ensureFilled(dataset);
    const lifeboats: Lifeboat[] = [];
    const runs = new Runs();
    const bytes = new Map<string, number>();
    try {
      for (const transport of ['unix', 'tls'] as const) lifeboats.push(await startLifeboat(path.join(work, transport), transport, 'backup'));
      if (lifeboats[1].ucpContainers.join() !== lifeboats[0].ucpContainers.join()) throw new Error('the two servers would stop different containers');
      for (const dataset of datasets) {
        bytes.set(dataset.key, await datasetBytes(dataset));
        await runDataset(lifeboats, dataset, path.join(work, 'cli.tar.gpg'), runs);
      }
    } finally {
      for (const lifeboat of lifeboats) await lifeboat.server.stop();
    }

    const rows = datasets.flatMap((dataset) => {
      const cli = runs.best(`${dataset.key} cli`);
      return lifeboats.map(({ transport }) => {
        const lifeboat = runs.best(`${dataset.key} ${transport}`);
        const downtimeLimit = runs.best(`${dataset.key} raw ${transport}`).seconds + cli.steps.stop + cli.steps.start + 1;
        return [dataset.label, transport, ...comparison(cli, lifeboat, { ratio: TIME_TARGET[transport], downtime: downtimeLimit, rssMiB: RSS_LIMIT_MIB })];
      });
    });
    const ceilings = datasets.map((dataset) => {
      const [size, cli] = [bytes.get(dataset.key)!, runs.best(`${dataset.key} cli`)];
      const raw = (transport: string) => rate(size, runs.best(`${dataset.key} raw ${transport}`).seconds);
      return [dataset.label, mib(size), raw('unix'), raw('tls'), secs(cli.steps.stop), rate(size, cli.steps.copy), secs(cli.steps.start)];
    });
    const header = ['backup', "Lifeboat's engine link", ...COMPARISON_HEADER];
    console.log(`\nBest of ${datasets.map((d) => `${d.runs} (${d.label})`).join(', ')}. Both sides stop ${lifeboats[0].ucpContainers.join(', ')}.\n`);
    console.log(table(header, rows));
    console.log();
    console.log(table(['CLI steps and ceilings', 'size', 'raw read, unix socket', 'raw read, mutual TLS', 'docker stop', 'docker cp | gpg', 'docker start'], ceilings));
    console.log();
    console.log(memorySpread('backup RSS above idle', datasets, ['unix', 'tls'], (dataset, transport) => runs.best(`${dataset.key} ${transport}`).rss));
  }),
);
