import { expect, test as setup } from '@playwright/test';

setup('sign in as the admin', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(process.env.LIFEBOAT_ADMIN_PASSWORD!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Cluster' })).toBeVisible();
  await page.context().storageState({ path: 'e2e/.auth/admin.json' });
});
