import { expect, Page, test } from '@playwright/test';
import {
  clientReady, expectAccessible, login, PASSWORD, uniqueEmail, userWithRole,
} from './helpers';

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

/** Where the first element that `selector` finds ends, in whole pixels from the top. */
async function bottom(page: Page, selector: string): Promise<number> {
  const box = await page.locator(selector).first().boundingBox();
  expect(box).not.toBeNull();
  return Math.round(box!.y + box!.height);
}

test('a logged-in page has its menu and role in the first view, and nothing moves at the takeover', async ({ page, request }) => {
  const email = uniqueEmail('eerste.blik');
  await userWithRole(request, email, 'Eerste Blik', 'participant');
  await login(page, email, PASSWORD);

  let release = await holdClient(page);
  await page.goto('/reports/new');
  await expect(page.locator('#shell')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1, name: 'Melding doen' })).toBeVisible();
  await expect(page.getByText('Ingelogd als deelnemer')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Mijn meldingen' })).toBeVisible();
  await expectAccessible(page);
  const links = await page.locator('nav li').count();
  const heading = await bottom(page, 'h1');
  release();
  await clientReady(page);
  await expect(page.getByLabel('Wat is er gebeurd?')).toBeVisible();
  expect(await page.locator('nav li').count()).toBe(links);
  expect(await bottom(page, 'h1')).toBe(heading);

  // A coordinator on a staff page: that role's menu and line, the same height.
  const coordinator = uniqueEmail('eerste.coordinator');
  await userWithRole(request, coordinator, 'Eerste Coördinator', 'coordinator');
  await page.context().clearCookies();
  await login(page, coordinator, PASSWORD);
  release = await holdClient(page);
  await page.goto('/queue');
  await expect(page.locator('#shell')).toHaveCount(1);
  await expect(page.getByText('Ingelogd als coördinator')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Melden', exact: true })).toHaveCount(0);
  const staffLinks = await page.locator('nav li').count();
  const menuEnd = await bottom(page, 'nav');
  release();
  await clientReady(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await page.locator('nav li').count()).toBe(staffLinks);
  expect(await bottom(page, 'nav')).toBe(menuEnd);
});

/** The menu's row: whether all its links share one line, whether it scrolls
 * sideways, and whether the link to the current page lies inside its visible part. */
async function menuRow(page: Page) {
  return page.locator('nav ul').first().evaluate((ul) => {
    const tops = new Set([...ul.querySelectorAll('li')].map((li) => Math.round(li.getBoundingClientRect().top)));
    const current = ul.querySelector('a[aria-current="page"]')!.getBoundingClientRect();
    const row = ul.getBoundingClientRect();
    return {
      oneLine: tops.size === 1,
      scrolls: ul.scrollWidth > ul.clientWidth,
      currentInSight: current.left >= row.left && current.right <= row.right,
    };
  });
}

test('on a phone the menu is one row that keeps the current page in sight; wider, it wraps', async ({ page, request }) => {
  const email = uniqueEmail('menu.rij');
  await userWithRole(request, email, 'Menu Rij', 'participant');
  await login(page, email, PASSWORD);

  // The first view's menu is the same row, at its start.
  const release = await holdClient(page);
  await page.goto('/profile');
  await expect(page.locator('#shell')).toHaveCount(1);
  expect(await menuRow(page)).toMatchObject({ oneLine: true, scrolls: true });
  // The last link of the menu, brought into sight when the client takes over.
  release();
  await clientReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Profiel' })).toBeVisible();
  expect(await menuRow(page)).toEqual({ oneLine: true, scrolls: true, currentInSight: true });
  await expectAccessible(page);

  // Moving on from a link in the page, with the row scrolled to its end:
  // the new page's link (near the start) comes into sight.
  await page.goto('/reports');
  await clientReady(page);
  await page.locator('nav ul').evaluate((ul) => { ul.scrollLeft = ul.scrollWidth; });
  await page.getByRole('main').getByRole('link', { name: 'Melding doen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Melding doen' })).toBeVisible();
  await expect.poll(async () => (await menuRow(page)).currentInSight).toBe(true);

  // On a wide screen every link shows, on as many lines as it takes.
  await page.setViewportSize({ width: 1024, height: 768 });
  await expect.poll(async () => (await menuRow(page)).scrolls).toBe(false);
  expect((await menuRow(page)).oneLine).toBe(false);
});
