import { Browser, expect, Page, test } from '@playwright/test';
import { PASSWORD, PNG, expectAccessible, login, userWithRole, uniqueEmail } from './helpers';

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ ...test.info().project.use, locale: 'nl-NL' });
  return context.newPage();
}

test('a report goes from resident to coordinator to police and back, with feedback', async ({ browser, request }) => {
  const resident = uniqueEmail('ria');
  const coordinator = uniqueEmail('coco');
  const agent = uniqueEmail('agent');
  await userWithRole(request, resident, 'Ria', 'participant');
  await userWithRole(request, coordinator, 'Coco', 'coordinator');
  await userWithRole(request, agent, 'Agent', 'partner');

  // The resident files a nuisance report with a photo, anonymous towards partners.
  const ria = await phone(browser);
  await login(ria, resident, PASSWORD);
  await ria.getByRole('link', { name: 'Melden' }).click();
  await expect(ria.getByRole('heading', { level: 1, name: 'Melding doen' })).toBeVisible();
  await ria.getByLabel('Overlast', { exact: true }).check();
  await ria.getByLabel('Geluidsoverlast').check();
  await ria.getByLabel('Wat is er gebeurd?').fill('Elke nacht harde muziek uit de kelder van nummer 8');
  await ria.getByLabel('Adres of plek (mag leeg)').fill('Selwerderdwarsstraat 8');
  await expect(ria.getByLabel(/naam geheim/)).toBeChecked();
  await ria.getByLabel(/Foto's/).setInputFiles({ name: 'kelder.png', mimeType: 'image/png', buffer: PNG });
  await expectAccessible(ria);
  await ria.getByRole('button', { name: 'Melding versturen' }).click();
  await expect(ria.getByText('Je melding is ontvangen.')).toBeVisible();
  const reference = (await ria.locator('main h1').textContent())!.trim();
  expect(reference).toMatch(/^WV-\d{4}-\d{6}$/);
  await expect(ria.getByTestId('status')).toContainText('ontvangen');
  await expect(ria.getByRole('img', { name: /Foto/ })).toBeVisible();
  await expectAccessible(ria);

  // The coordinator triages and forwards it.
  const coco = await phone(browser);
  await login(coco, coordinator, PASSWORD);
  await coco.getByRole('link', { name: 'Meldingen' }).click();
  await coco.getByLabel('Zoek in de beschrijving').fill('kelder van nummer 8');
  await coco.getByRole('button', { name: 'Zoeken' }).click();
  await expect(coco.getByRole('link', { name: new RegExp(reference) })).toBeVisible();
  await expectAccessible(coco);
  await coco.getByRole('link', { name: new RegExp(reference) }).click();
  await expect(coco.getByTestId('reporter')).toContainText('Ria');
  await coco.getByLabel('Status', { exact: true }).selectOption({ label: 'in behandeling' });
  await coco.getByRole('button', { name: 'Status wijzigen' }).click();
  await expect(coco.getByTestId('status')).toContainText('in behandeling');
  await coco.getByLabel('Status', { exact: true }).selectOption({ label: 'doorgestuurd naar politie' });
  await coco.getByLabel('Interne notitie').fill('Wijkagent Selwerd');
  await coco.getByRole('button', { name: 'Status wijzigen' }).click();
  await expect(coco.getByTestId('status')).toContainText('doorgestuurd naar politie');
  await expectAccessible(coco);

  // The police partner sees it, without the reporter's name.
  const police = await phone(browser);
  await login(police, agent, PASSWORD);
  await police.getByRole('link', { name: 'Meldingen' }).click();
  await police.getByRole('link', { name: new RegExp(reference) }).click();
  await expect(police.getByTestId('reporter')).toHaveText('Anoniem');
  await expect(police.getByText('Ria')).toHaveCount(0);
  await police.getByRole('textbox', { name: 'Notitie van de politie' }).fill('Extra surveillance gepland');
  await police.getByRole('button', { name: 'Versturen' }).click();
  await expect(police.getByText('Extra surveillance gepland')).toBeVisible();

  // The coordinator resolves it with a public note.
  await coco.reload();
  await coco.getByLabel('Status', { exact: true }).selectOption({ label: 'opgelost' });
  await coco.getByLabel('Bericht aan de melder').fill('De bewoners zijn aangesproken; de muziek stopt om 23 uur.');
  await coco.getByRole('button', { name: 'Status wijzigen' }).click();
  await expect(coco.getByTestId('status')).toContainText('opgelost');

  // The resident sees the notification, the timeline and gives feedback once.
  await ria.getByRole('link', { name: 'Berichten' }).click();
  await expect(ria.getByText('De bewoners zijn aangesproken; de muziek stopt om 23 uur.')).toBeVisible();
  await expectAccessible(ria);
  await ria.getByRole('link', { name: reference }).first().click();
  await expect(ria.getByTestId('status')).toContainText('opgelost');
  await expect(ria.getByText('Wijkagent Selwerd')).toHaveCount(0);
  await expect(ria.getByText('Extra surveillance gepland')).toHaveCount(0);
  await ria.getByLabel('Toelichting (mag leeg)').fill('Snel opgepakt, dank!');
  await ria.getByRole('button', { name: 'Ja, tevreden' }).click();
  await expect(ria.getByText('Bedankt voor je reactie.')).toBeVisible();
  await expect(ria.getByRole('button', { name: 'Ja, tevreden' })).toHaveCount(0);
});

test('burglary shows how to make an aangifte before and after filing', async ({ page, request }) => {
  const email = uniqueEmail('bas');
  await userWithRole(request, email, 'Bas', 'participant');
  await login(page, email, PASSWORD);
  await page.goto('/reports/new');
  await page.getByLabel('Inbraak', { exact: true }).check();
  await expect(page.getByRole('note')).toContainText('Dit is geen aangifte.');
  await page.getByLabel('Fietsdiefstal').check();
  await page.getByLabel('Wat is er gebeurd?').fill('Mijn fiets is gestolen uit de stalling bij het station');
  await page.getByRole('button', { name: 'Melding versturen' }).click();
  await expect(page.getByText('Je melding is ontvangen.')).toBeVisible();
  await expect(page.getByRole('note')).toContainText('geen aangifte');
  await expect(page.getByRole('note')).toContainText('112');
  await expectAccessible(page);
});

test('a report with a missing description is refused next to the field', async ({ page, request }) => {
  const email = uniqueEmail('dora');
  await userWithRole(request, email, 'Dora', 'participant');
  await login(page, email, PASSWORD);
  await page.goto('/reports/new');
  await page.getByRole('button', { name: 'Melding versturen' }).click();
  await expect(page.getByRole('alert')).toBeFocused();
  await expect(page.getByRole('alert')).toContainText('Wat is er gebeurd?');
  await expectAccessible(page);

  // The draft survives a reload.
  await page.getByLabel('Wat is er gebeurd?').fill('Scooters racen elke avond door het park');
  await page.reload();
  await expect(page.getByLabel('Wat is er gebeurd?')).toHaveValue('Scooters racen elke avond door het park');
});
