// The screens every page is checked on: a phone and a wide screen, each in the light and the dark theme.
import type { Browser, BrowserContext, Page } from '@playwright/test';

export const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'wide', width: 1440, height: 900 },
] as const;
export const THEMES = ['light', 'dark'] as const;
export type Size = (typeof SIZES)[number];
export type Theme = (typeof THEMES)[number];

/** A browser context at `size` in `theme` (the cookie the server renders it from), signed in as the admin unless `signedIn` is false. */
export async function themedContext(browser: Browser, size: Size, theme: Theme, signedIn = true): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: size.width, height: size.height },
    storageState: signedIn ? 'e2e/.auth/admin.json' : undefined,
  });
  await context.addCookies([{ name: 'lifeboat_theme', value: theme, url: process.env.LIFEBOAT_BASE_URL! }]);
  return context;
}

/** How many pixels the page is wider than the screen (0 or less: it fits). */
export function overflowOf(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
