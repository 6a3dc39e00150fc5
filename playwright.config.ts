import { defineConfig, devices } from '@playwright/test';

/** A test server's URL from `variable`: the browser tests change data, so only a local one `npm test` started. */
function testServer(variable: string): string {
  const url = process.env[variable];
  if (!url) throw new Error(`${variable} is not set: run the browser tests through \`npm test\`, which starts the labs and the test servers`);
  if (!/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(url)) {
    throw new Error(`refusing to run the browser tests against ${url}: they change data; use a local test server`);
  }
  return url;
}

const baseURL = testServer('LIFEBOAT_BASE_URL');
// The one-controller lab's own server (e2e/one-controller/, whose fixtures point the helpers at it).
const oneControllerURL = testServer('LIFEBOAT_ONE_BASE_URL');
const oneController = 'one-controller/**';

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: 1,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/, testIgnore: oneController },
    {
      name: 'chromium',
      testIgnore: oneController,
      use: { ...devices['Desktop Chrome'], storageState: 'e2e/.auth/admin.json' },
      dependencies: ['setup'],
    },
    { name: 'one-controller-setup', testDir: 'e2e/one-controller', testMatch: /auth\.setup\.ts/, use: { baseURL: oneControllerURL } },
    {
      name: 'one-controller',
      testDir: 'e2e/one-controller',
      // A backup and a restore of every UCP volume, each stopping the whole control plane, in one test.
      timeout: 300_000,
      use: { ...devices['Desktop Chrome'], baseURL: oneControllerURL, storageState: 'e2e/.auth/one-controller.json' },
      dependencies: ['one-controller-setup'],
    },
  ],
});
