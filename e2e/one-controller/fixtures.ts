// The tests of the one-controller lab (`npm test`'s lab `one`: ctrl-1 and worker-1) and its own server.
// The helpers of e2e/support find the server and the lab in LIFEBOAT_BASE_URL, LIFEBOAT_API_TOKEN,
// LIFEBOAT_LAB_JSON, LIFEBOAT_LAB_NAME (and the admin's password in LIFEBOAT_ADMIN_PASSWORD): in the
// worker process of these tests, which runs no other project's tests, they are the LIFEBOAT_ONE_* ones.
import { test as base } from '@playwright/test';
import { labStatus } from '../support/lab';

const pointed = ['BASE_URL', 'API_TOKEN', 'LAB_JSON', 'LAB_NAME', 'ADMIN_PASSWORD'];

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no test-scoped fixtures
export const test = base.extend<{}, { oneControllerLab: void }>({
  oneControllerLab: [
    async ({}, use) => {
      const saved = Object.fromEntries(pointed.map((name) => [name, process.env[`LIFEBOAT_${name}`]]));
      for (const name of pointed) {
        const value = process.env[`LIFEBOAT_ONE_${name}`];
        if (!value) throw new Error(`LIFEBOAT_ONE_${name} is not set: run these tests through \`npm test\`, which starts the one-controller lab and its server`);
        process.env[`LIFEBOAT_${name}`] = value;
      }
      const lab = labStatus();
      if (lab.controllers !== 1) throw new Error(`LIFEBOAT_ONE_LAB_JSON describes the lab ${lab.name}, of ${lab.controllers} controllers: these tests need one`);
      await use();
      for (const name of pointed) {
        if (saved[name] === undefined) delete process.env[`LIFEBOAT_${name}`];
        else process.env[`LIFEBOAT_${name}`] = saved[name];
      }
    },
    { scope: 'worker', auto: true },
  ],
});

export { expect } from '@playwright/test';
