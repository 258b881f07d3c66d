import { expect, test } from '@playwright/test';
import { PASSWORD, clientReady, signupViaApi, uniqueEmail } from './helpers';

test('a student signs up on a phone, stays logged in, switches language and logs out', async ({ page }) => {
  const email = uniqueEmail('anna');
  await page.goto('/');
  await clientReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Wijkveilig' })).toBeVisible();
  await page.getByRole('link', { name: 'Aanmelden' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Aanmelden' })).toBeFocused();

  // Submitting an empty form lists every problem and focuses the summary.
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveCount(6);

  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill('kort');
  await page.getByLabel('Naam').click();
  await expect(page.getByText('Gebruik minstens 10 tekens.').first()).toBeVisible();
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByLabel('Naam').fill('Anna');
  await page.getByLabel('Student').check();
  await page.getByLabel('Wijk').selectOption({ label: 'Paddepoel' });
  await page.getByLabel(/privacyverklaring/).check();
  await page.getByRole('button', { name: 'Account aanmaken' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Welkom, Anna' })).toBeVisible();
  await expect(page.getByTestId('role')).toContainText('deelnemer');

  // The access token lives in memory only: a reload restores the session from the cookie.
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Welkom, Anna' })).toBeVisible();

  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Welcome, Anna' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Welcome, Anna' })).toBeVisible();

  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByText(email)).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('link', { name: 'Sign up' }).first()).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Log in' }).first()).toBeVisible();
  await expect(page.getByTestId('role')).toHaveCount(0);
});

test('wrong credentials are reported without saying which was wrong', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('E-mailadres').fill('nobody@example.nl');
  await page.getByLabel('Wachtwoord', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('alert')).toContainText('Email address or password is not correct.');
  await expect(page.getByLabel('Wachtwoord', { exact: true })).toHaveValue('');
  // The emptied password field is not listed as a mistake.
  await expect(page.getByRole('alert').getByRole('link')).toHaveCount(0);
  await expect(page.getByText('Vul dit veld in.')).toHaveCount(0);
  // Sent again without one, it is.
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('alert').getByRole('link')).toHaveCount(1);
});

/** What the server answers when its password hashing queue is full. */
const BUSY = {
  status: 503,
  contentType: 'application/problem+json',
  headers: { 'Retry-After': '1' },
  body: JSON.stringify({
    type: '/problems/unavailable', title: 'Service temporarily unavailable', status: 503,
    detail: 'The service is busy or restarting. Try again shortly.',
  }),
};

test('a login the server is too busy for is sent again by itself', async ({ page, request }) => {
  const email = uniqueEmail('bram');
  await signupViaApi(request, email, 'Bram');
  let tries = 0;
  await page.route('**/api/auth/login', async (route) => {
    tries += 1;
    if (tries <= 2) await route.fulfill(BUSY);
    else await route.continue();
  });
  await page.goto('/login');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('button', { name: 'Bezig…' })).toBeDisabled();
  await expect(page.getByRole('heading', { level: 2, name: 'Welkom, Bram' })).toBeVisible();
  expect(tries).toBe(3);
});

test('a server that stays too busy is told apart from other failures', async ({ page }) => {
  let tries = 0;
  await page.route('**/api/auth/login', async (route) => {
    tries += 1;
    await route.fulfill(BUSY);
  });
  await page.goto('/login');
  await page.getByLabel('E-mailadres').fill('somebody@example.nl');
  await page.getByLabel('Wachtwoord', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('alert')).toContainText('Wijkveilig heeft het nu te druk.');
  await expect(page.getByRole('alert').getByRole('link')).toHaveCount(0);
  // The first try and three more, then the form is the user's again.
  expect(tries).toBe(4);
  await expect(page.getByRole('button', { name: 'Inloggen' })).toBeEnabled();
});
