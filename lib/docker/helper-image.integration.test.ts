import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreThroughApi } from '@/e2e/support/api';
import { startTimes } from '@/e2e/support/fingerprint';
import { docker, dockerJsonLines, ucpStates } from '@/e2e/support/lab';
import { startBackup } from '@/lib/backup/backup-run';
import { getBackup } from '@/lib/history/backup-history';
import { helperImagePath, readHelperImageFile, type HelperImageFile } from './helper-image';

const passphrase = 'helper image passphrase';
const LAB_IMAGE = 'lifeboat-lab/busybox:latest';

async function imageId(node: string, ref: string): Promise<string | null> {
  return (await docker(node, 'image', 'inspect', '--format', '{{.Id}}', ref).catch(() => '')).trim() || null;
}

/** The images the engine created Lifeboat's helper containers from since `since` (of job `jobId`, or of any job), as its events record them. */
async function helperImagesCreated(node: string, since: number, jobId?: string) {
  const label = jobId ? `label=com.lifeboat.helper=${jobId}` : 'label=com.lifeboat.helper';
  const until = String(Math.ceil(Date.now() / 1000));
  const events = await dockerJsonLines<{ Actor: { Attributes: Record<string, string> } }>(
    node,
    'events',
    '--since',
    String(since),
    '--until',
    until,
    '--filter',
    'type=container',
    '--filter',
    'event=create',
    '--filter',
    label,
  );
  return events.map((e) => e.Actor.Attributes.image);
}

const now = () => Math.floor(Date.now() / 1000) - 1;

describe("Lifeboat's own helper image", () => {
  let own: HelperImageFile;
  let backupId: string;
  beforeAll(async () => {
    own = await readHelperImageFile(helperImagePath());
  });

  describe("on ctrl-2, which lacks it, with a user's container named and labelled like UCP's", () => {
    let imposterImage: string;
    beforeAll(async () => {
      await docker('ctrl-2', 'image', 'rm', '--force', own.id).catch(() => '');
      expect(await imageId('ctrl-2', own.id)).toBeNull();
      // A user's image of their own (its own ID), run as the newest container on the node, named and labelled as UCP's.
      await docker('ctrl-2', 'commit', '--pause=false', '--change', 'LABEL lifeboat.test=imposter', 'user-web', 'lifeboat-test/imposter:1');
      imposterImage = (await imageId('ctrl-2', 'lifeboat-test/imposter:1'))!;
      await docker(
        'ctrl-2',
        'run',
        '--detach',
        '--init',
        '--network',
        'none',
        '--name',
        'ucp-imposter',
        '--label',
        'com.docker.ucp.access.owner=mallory',
        'lifeboat-test/imposter:1',
        'sleep',
        '2147483647',
      );
    });
    afterAll(async () => {
      await docker('ctrl-2', 'rm', '--force', 'ucp-imposter').catch(() => '');
      await docker('ctrl-2', 'image', 'rm', 'lifeboat-test/imposter:1').catch(() => '');
    });

    it('a backup loads it, and its helper runs from it: not from the ucp- container, nor from any image the node had', async () => {
      const since = now();
      const started = await startBackup({ node: 'ctrl-2', rootCaOnly: true, passphrase, requestedBy: 'tests' });
      backupId = started.id;
      await started.done;
      expect(await getBackup(backupId)).toMatchObject({ status: 'succeeded', error: null });

      expect(await imageId('ctrl-2', own.tag)).toBe(own.id);
      // Two helpers: the look through the volumes while UCP runs, then the reader.
      expect(await helperImagesCreated('ctrl-2', since, backupId)).toEqual([own.id, own.id]);
      expect([imposterImage, await imageId('ctrl-2', LAB_IMAGE)]).not.toContain(own.id);
    });

    it("a restore's helpers (the writer, and those that empty the volumes and set their roots) run from it too", async () => {
      const since = now();
      const { status, body } = await restoreThroughApi({ node: 'ctrl-2', passphrase, dryRun: 'false', backupId, skipSafetyBackup: 'true' });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.status).toBe('succeeded');
      expect(await helperImagesCreated('ctrl-2', since, body.id)).toEqual([own.id, own.id, own.id]);
      expect((await ucpStates('ctrl-2')).every((state) => state === 'running')).toBe(true);
    });
  });

  describe('on ctrl-3, where another image carries its name', () => {
    let before: Record<string, string>;
    beforeAll(async () => {
      await docker('ctrl-3', 'image', 'rm', '--force', own.id).catch(() => '');
      await docker('ctrl-3', 'tag', LAB_IMAGE, own.tag);
      before = await startTimes('ctrl-3', 'ucp-');
    });
    afterAll(async () => {
      await docker('ctrl-3', 'image', 'rm', own.tag).catch(() => '');
    });

    it('a backup and a restore are refused, saying so, before anything stops; the image is never run', async () => {
      const since = now();
      const refusal = new RegExp(`ctrl-3: the image tagged ${own.tag} is sha256:[0-9a-f]{64}, not Lifeboat's helper image ${own.id}: someone gave another image Lifeboat's name`);
      await expect(startBackup({ node: 'ctrl-3', passphrase, requestedBy: 'tests' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(refusal) });
      const { status, body } = await restoreThroughApi({ node: 'ctrl-3', passphrase, dryRun: 'false', backupId, skipSafetyBackup: 'true' });
      expect(status).toBe(409);
      expect(body.error.message).toMatch(refusal);

      expect(await startTimes('ctrl-3', 'ucp-')).toEqual(before);
      expect(Object.keys(before).length).toBeGreaterThan(0);
      expect((await ucpStates('ctrl-3')).every((state) => state === 'running')).toBe(true);
      expect(await helperImagesCreated('ctrl-3', since)).toEqual([]);
      expect(await imageId('ctrl-3', own.tag)).toBe(await imageId('ctrl-3', LAB_IMAGE));
    });
  });
});
