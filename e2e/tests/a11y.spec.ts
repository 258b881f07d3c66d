import { expect, test } from '@playwright/test';
import { PASSWORD, clientReady, expectAccessible, login, signupViaApi, uniqueEmail } from './helpers';

for (const [name, path] of [['home', '/'], ['sign up', '/signup'], ['log in', '/login']]) {
  test(`${name} has no serious accessibility violations`, async ({ page }) => {
    await page.goto(path);
    await clientReady(page);
    await expect(page.locator('main h1')).toBeVisible();
    await expectAccessible(page);
    if (path !== '/') {
      // With every error showing, too.
      await page.locator('form button[type=submit]').click();
      await expect(page.getByRole('alert')).toBeVisible();
      await expectAccessible(page);
    }
  });
}

test('profile has no serious accessibility violations', async ({ page, request }) => {
  const email = uniqueEmail('carla');
  await signupViaApi(request, email, 'Carla');
  await login(page, email, PASSWORD);
  await page.getByRole('link', { name: 'Profiel' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Gegevens', exact: true })).toBeVisible();
  await expectAccessible(page);
});

test('the whole sign-up works with the keyboard alone', async ({ page }) => {
  await page.goto('/signup');
  // The app mounts after the WASM loads; start typing once it is there.
  await clientReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Aanmelden' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Naar de inhoud' })).toBeFocused();
  await page.getByLabel('E-mailadres').focus();
  await page.keyboard.type(uniqueEmail('dirk'));
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Tab');
  await page.keyboard.type('Dirk');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space'); // student
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown'); // first neighbourhood
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space'); // privacy
  await page.keyboard.press('Tab'); // link to the statement
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Welkom, Dirk' })).toBeVisible();
});
