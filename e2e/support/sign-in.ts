import { expect, type Page } from '@playwright/test';

/** Signs in as the admin (LIFEBOAT_ADMIN_PASSWORD) through the login page and keeps the session in `storageFile`. */
export async function signInAsAdmin(page: Page, storageFile: string) {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(process.env.LIFEBOAT_ADMIN_PASSWORD!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Cluster' })).toBeVisible();
  await page.context().storageState({ path: storageFile });
}
