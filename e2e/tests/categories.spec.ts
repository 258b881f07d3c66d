import { expect, test } from '@playwright/test';
import { ADMIN, PASSWORD, expectAccessible, login, userWithRole, uniqueEmail } from './helpers';

test('an admin adds a category and residents can file under it', async ({ page, browser, request }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await page.getByRole('link', { name: 'Categorieën' }).click();
  await expect(page.getByText('noise · nuisance')).toBeVisible();
  await expectAccessible(page);
  const code = `fireworks_${Date.now() % 100000}`;
  await page.getByLabel('Code').fill(code);
  await page.getByLabel('Naam (Nederlands)').fill('Vuurwerkoverlast');
  await page.getByLabel('Name (English)').fill('Fireworks');
  await page.getByLabel('Werkdagen tot beoordeling').fill('1');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByRole('status')).toContainText('Vuurwerkoverlast');
  await expect(page.getByText(`${code} · nuisance`)).toBeVisible();

  // A bad code is refused with the field named.
  await page.getByLabel('Code').fill('Bad Code');
  await page.getByLabel('Naam (Nederlands)').fill('X');
  await page.getByLabel('Name (English)').fill('X');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByRole('status')).toContainText('code:');

  const email = uniqueEmail('eva');
  await userWithRole(request, email, 'Eva', 'participant');
  const context = await browser.newContext({ ...test.info().project.use, locale: 'nl-NL' });
  const resident = await context.newPage();
  await login(resident, email, PASSWORD);
  await resident.goto('/reports/new');
  await expect(resident.getByLabel('Vuurwerkoverlast')).toBeVisible();
  await context.close();
});
