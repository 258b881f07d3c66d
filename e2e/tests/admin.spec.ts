import { expect, test } from '@playwright/test';
import { ADMIN, PASSWORD, login, signupViaApi, uniqueEmail } from './helpers';

test('an admin promotes a student to coordinator and their navigation changes', async ({ browser, request }) => {
  const email = uniqueEmail('bram');
  await signupViaApi(request, email, 'Bram');

  const userContext = await browser.newContext({ locale: 'nl-NL', ...test.info().project.use });
  const user = await userContext.newPage();
  await login(user, email, PASSWORD);
  const nav = user.getByRole('navigation', { name: 'Hoofdmenu' });
  await expect(nav.getByRole('link', { name: 'Wijken' })).toHaveCount(0);

  const adminContext = await browser.newContext({ locale: 'nl-NL', ...test.info().project.use });
  const admin = await adminContext.newPage();
  await login(admin, ADMIN.email, ADMIN.password);
  await admin.getByRole('link', { name: 'Gebruikers' }).click();
  await admin.getByLabel('Zoek op naam of e-mail').fill(email);
  await admin.getByRole('button', { name: 'Zoeken' }).click();
  await expect(admin.getByText('1 gebruikers gevonden')).toBeVisible();
  await admin.getByLabel('Rol van Bram').selectOption('coordinator');
  await expect(admin.getByRole('status').filter({ hasText: 'Bram: coördinator' })).toBeVisible();

  await user.reload();
  await expect(nav.getByRole('link', { name: 'Wijken' })).toBeVisible();
  await expect(user.getByTestId('role')).toContainText('coördinator');
  await nav.getByRole('link', { name: 'Wijken' }).click();
  await expect(user.getByText('Selwerd')).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Gebruikers' })).toHaveCount(0);

  await userContext.close();
  await adminContext.close();
});
