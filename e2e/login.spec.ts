import { expect, test } from '@playwright/test';

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  for (const path of ['/', '/settings', '/nodes/ctrl-1']) {
    test(`${path} redirects to the login page`, async ({ page }) => {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    });
  }

  for (const path of ['/api/v1/nodes', '/api/v1/nodes/ctrl-1/volumes']) {
    test(`${path} answers 401 with a JSON error`, async ({ request }) => {
      const response = await request.get(path);
      expect(response.status()).toBe(401);
      expect((await response.json()).error.code).toBe('unauthorized');
    });
  }

  test('a wrong password is refused with a message', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('status')).toHaveText('wrong user name or password');
    await expect(page).toHaveURL(/\/login/);
  });

  test('signing in returns to the page asked for, and signing out ends the session', async ({ page }) => {
    await page.goto('/settings');
    await page.getByLabel('Password').fill(process.env.LIFEBOAT_ADMIN_PASSWORD!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto('/settings');
    await expect(page).toHaveURL(/\/login/);
  });
});
