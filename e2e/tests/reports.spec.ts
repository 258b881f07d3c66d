import { Browser, expect, Page, test } from '@playwright/test';
import { PASSWORD, PNG, expectAccessible, login, tokenFor, userWithRole, uniqueEmail } from './helpers';

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

test('long lists page by fifty, and the queue opens on what still needs work', async ({ browser, request }) => {
  const resident = uniqueEmail('paul');
  const coordinator = uniqueEmail('cora');
  await userWithRole(request, resident, 'Paul', 'participant');
  await userWithRole(request, coordinator, 'Cora', 'coordinator');
  const token = await tokenFor(request, resident, PASSWORD);
  const categories = await (await request.get('/api/report-categories')).json();
  const marker = `lantaarnpaal-${Date.now()}`;
  const ids: number[] = [];
  for (let n = 1; n <= 52; n++) {
    const res = await request.post('/api/reports', {
      headers: { Authorization: `Bearer ${token}` },
      data: {
        category_id: categories[0].id, neighbourhood_id: 3,
        description: `Kapotte ${marker} nummer ${n} bij het fietspad`,
        occurred_at: new Date(Date.now() - 3_600_000).toISOString(),
      },
    });
    expect(res.status()).toBe(201);
    ids.push((await res.json()).id);
  }

  const paul = await phone(browser);
  await login(paul, resident, PASSWORD);
  await paul.getByRole('link', { name: 'Mijn meldingen' }).click();
  const pager = paul.getByRole('navigation', { name: "Pagina's" });
  await expect(paul.getByRole('status').filter({ hasText: 'meldingen' })).toHaveText('52 meldingen');
  await expect(paul.locator('ul.reports > li')).toHaveCount(50);
  await expect(pager).toContainText('1 / 2');
  await expect(pager.getByRole('button', { name: 'Vorige' })).toBeDisabled();
  await expectAccessible(paul);
  await pager.getByRole('button', { name: 'Volgende' }).click();
  await expect(pager).toContainText('2 / 2');
  // Newest first: the first two filed are on the second page.
  await expect(paul.locator('ul.reports > li')).toHaveCount(2);
  await expect(pager.getByRole('button', { name: 'Volgende' })).toBeDisabled();
  // Focus does not drop to the top of the page with the disabled button.
  await expect(pager.getByRole('button', { name: 'Vorige' })).toBeFocused();
  await paul.keyboard.press('Enter');
  await expect(pager).toContainText('1 / 2');
  await expect(paul.locator('ul.reports > li')).toHaveCount(50);
  await expect(pager.getByRole('button', { name: 'Volgende' })).toBeFocused();

  // A rejected report leaves the queue's first view, and is one filter away.
  const coordinatorToken = await tokenFor(request, coordinator, PASSWORD);
  const rejected = await request.post(`/api/reports/${ids[0]}/transitions`, {
    headers: { Authorization: `Bearer ${coordinatorToken}` },
    data: { to: 'rejected', public_note: 'Dit is een melding voor de netbeheerder.' },
  });
  expect(rejected.status()).toBe(200);
  const cora = await phone(browser);
  await login(cora, coordinator, PASSWORD);
  await cora.getByRole('link', { name: 'Meldingen' }).click();
  await expect(cora.getByLabel('Status')).toHaveValue('submitted,triaged,forwarded,reopened');
  await cora.getByLabel('Zoek in de beschrijving').fill(marker);
  await cora.getByRole('button', { name: 'Zoeken' }).click();
  await expect(cora.getByRole('status').filter({ hasText: 'meldingen' })).toHaveText('51 meldingen');
  await cora.getByLabel('Status').selectOption({ label: 'Alle statussen' });
  await expect(cora.getByRole('status').filter({ hasText: 'meldingen' })).toHaveText('52 meldingen');
  await cora.getByLabel('Status').selectOption({ label: 'afgewezen' });
  await expect(cora.locator('ul.reports > li')).toHaveCount(1);
  await expect(cora.locator('ul.reports > li')).toContainText('afgewezen');
  await expectAccessible(cora);
});
