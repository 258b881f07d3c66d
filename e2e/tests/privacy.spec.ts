import { expect, test } from '@playwright/test';
import { ADMIN, PASSWORD, expectAccessible, login, signupViaApi, uniqueEmail } from './helpers';
import { readFileSync } from 'node:fs';

test('a participant downloads their data, then deletes their account from the profile page', async ({ page, request }) => {
  const email = uniqueEmail('wies');
  await signupViaApi(request, email, 'Wies Wisser', 'resident');
  await login(page, email, PASSWORD);
  await page.getByRole('link', { name: 'Profiel' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Mijn gegevens' })).toBeVisible();
  await expectAccessible(page);

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Mijn gegevens downloaden' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('wijkveilig-export.json');
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(exported.account.email).toBe(email);
  expect(exported.account.display_name).toBe('Wies Wisser');
  expect(exported.consents).toHaveLength(1);

  // A wrong password is refused; the account stays.
  await page.getByLabel('Je wachtwoord').fill('niet mijn wachtwoord');
  await page.getByRole('button', { name: 'Account verwijderen' }).click();
  await page.getByRole('button', { name: 'Ja, verwijder mijn account' }).click();
  await expect(page.getByText('Dit is niet je huidige wachtwoord.')).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Je wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Ja, verwijder mijn account' }).click();
  await expect(page.getByText('Je account is verwijderd.')).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Inloggen' })).toBeVisible();
  const again = await request.post('/api/auth/login', { data: { email, password: PASSWORD } });
  expect(again.status()).toBe(401);
});

test('the admin sees the erasure in the audit log and can set retention periods', async ({ page }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await page.getByRole('link', { name: 'Privacy', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Privacybeheer' })).toBeVisible();
  await page.getByLabel('Uitgaande mail').fill('14');
  await page.getByRole('button', { name: 'Termijnen opslaan' }).click();
  await expect(page.getByText('Opgeslagen.')).toBeVisible();
  await page.getByLabel('Soort').selectOption('account_erased');
  await expect(page.getByRole('cell', { name: 'account_erased' }).first()).toBeVisible();
  await expectAccessible(page);
});
