import { expect, Page, test } from '@playwright/test';
import { clientReady, expectAccessible } from './helpers';

/** Holds the web client's WASM back until the returned function is called. */
async function holdClient(page: Page): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/*_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

test('the page shows its heading and menu before the client arrives, and the client takes over', async ({ page }) => {
  const release = await holdClient(page);
  await page.goto('/signup');
  // The server's first view: heading, lead and a menu whose links work, nothing to press.
  await expect(page.getByRole('heading', { level: 1, name: 'Aanmelden' })).toBeVisible();
  await expect(page.getByText('In een minuut geregeld.')).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Bezig met laden…');
  await expect(page.getByRole('link', { name: 'Inloggen' })).toHaveAttribute('href', '/login');
  await expect(page.getByRole('link', { name: 'Aanmelden' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('button')).toHaveCount(0);
  await expectAccessible(page);

  release();
  await clientReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByLabel('E-mailadres')).toBeVisible();
  await expect(page.getByRole('button', { name: 'English' })).toBeVisible();
});

test('after switching to English the next page starts in English', async ({ page }) => {
  await page.goto('/');
  await clientReady(page);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Wijkveilig' })).toBeVisible();

  const release = await holdClient(page);
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1, name: 'Log in' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign up' })).toBeVisible();
  release();
  await clientReady(page);
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
});
