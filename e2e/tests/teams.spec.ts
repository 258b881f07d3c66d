import { expect, test } from '@playwright/test';
import { PASSWORD, expectAccessible, localInput, login, signupViaApi, uniqueEmail, userWithRole } from './helpers';

// Schildersbuurt (10) is used by no other browser test.
const SCHILDERSBUURT = 10;

test('a resident starts a team, a neighbour joins on a phone, they walk a patrol and an observation becomes a report', async ({ browser, page, request }) => {
  const anna = uniqueEmail('anna');
  const bram = uniqueEmail('bram');
  await signupViaApi(request, anna, 'Anna', 'resident', SCHILDERSBUURT);
  await signupViaApi(request, bram, 'Bram', 'resident', SCHILDERSBUURT);
  const coordinator = uniqueEmail('coordinator');
  await userWithRole(request, coordinator, 'Cor', 'coordinator');
  const teamName = `BPT Schildersbuurt ${Date.now()}`;

  // Anna proposes a team; the guidance on what to do is on the page.
  await login(page, anna, PASSWORD);
  await page.getByRole('link', { name: 'Buurtpreventie' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Buurtpreventie' })).toBeVisible();
  await expect(page.getByTestId('guidance')).toContainText('Bel 112');
  await page.getByRole('button', { name: 'Team voorstellen' }).click();
  await expect(page.locator('#team-name')).toBeFocused();
  await page.getByLabel('Naam van het team').fill(teamName);
  await page.getByLabel('Gebied').fill('Schildersbuurt en het Noorderplantsoen');
  await page.getByLabel('Contact').fill('bpt-schildersbuurt@example.nl');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Team voorstellen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: teamName })).toBeVisible();
  await expect(page.getByTestId('team-status')).toHaveText('voorgesteld, wacht op de gemeente');
  const teamUrl = page.url();

  // The coordinator approves it.
  const coordContext = await browser.newContext({ ...test.info().project.use, locale: 'nl-NL' });
  const coord = await coordContext.newPage();
  await login(coord, coordinator, PASSWORD);
  await coord.goto(teamUrl);
  await expect(coord.getByRole('heading', { level: 2, name: 'Besluit over dit voorstel' })).toBeVisible();
  await expectAccessible(coord);
  await coord.getByRole('button', { name: 'Goedkeuren' }).click();
  await expect(coord.getByTestId('team-status')).toHaveText('goedgekeurd');

  // Bram asks to join from his phone; Anna, now the team's lead, accepts.
  const phone = await browser.newContext({ ...test.info().project.use, locale: 'nl-NL' });
  const bramPage = await phone.newPage();
  await login(bramPage, bram, PASSWORD);
  await bramPage.goto('/teams');
  const row = bramPage.getByRole('listitem').filter({ hasText: teamName });
  await row.getByRole('button', { name: 'Aanmelden als lid' }).click();
  await expect(bramPage.getByRole('status')).toContainText('Je aanvraag is verstuurd');
  await expect(row).toContainText('Aanvraag verstuurd');

  await page.reload();
  await page.getByRole('button', { name: 'Accepteer Bram' }).click();
  await expect(page.getByTestId('member-count')).toHaveText('2');

  // Anna plans a patrol that starts in half an hour, for at least two walkers.
  await page.locator('#patrol-starts_at').fill(localInput(30));
  await page.getByLabel('Verzamelpunt').fill('Hoek Kerklaan');
  await page.getByLabel('Minimaal aantal lopers').fill('2');
  await page.getByLabel('Maximaal aantal lopers').fill('4');
  await page.getByRole('button', { name: 'Ronde plannen' }).last().click();
  await expect(page.getByText('Ronde gepland.')).toBeVisible();
  // Starting within a day without enough walkers: flagged to the lead.
  await expect(page.getByTestId('understaffed')).toContainText('nog 2 lopers nodig');
  await expectAccessible(page);

  // Bram signs up on his phone; so does Anna: the flag goes.
  await bramPage.goto(teamUrl);
  await bramPage.getByRole('button', { name: 'Ik loop mee' }).click();
  await expect(bramPage.getByTestId('walkers')).toContainText('1 / 4');
  await page.reload();
  await page.getByRole('button', { name: 'Ik loop mee' }).click();
  await expect(page.getByTestId('walkers')).toContainText('2 / 4');
  await expect(page.getByTestId('understaffed')).toHaveCount(0);

  // On the walk Bram records what he saw, then turns it into a report.
  await bramPage.reload();
  await bramPage.getByLabel('Wat zag je?').fill('Kelderbox open, fietsen zichtbaar vanaf de straat');
  await bramPage.getByLabel('Waar?').fill('Achterpad Kerklaan 12');
  await bramPage.getByRole('button', { name: 'Opslaan in het logboek' }).click();
  await expect(bramPage.getByTestId('observation')).toContainText('Kelderbox open');
  await expectAccessible(bramPage);
  await bramPage.getByLabel('Categorie voor een melding').selectOption({ label: 'Inbraak in schuur of garage' });
  await bramPage.getByRole('button', { name: 'Maak er een melding van' }).click();
  await expect(bramPage).toHaveURL(/\/reports\/\d+$/);
  await expect(bramPage.getByText('Kelderbox open, fietsen zichtbaar vanaf de straat')).toBeVisible();

  // Back on the team page the log links to the report; the page fits the phone.
  await bramPage.goto(teamUrl);
  await expect(bramPage.getByRole('link', { name: 'Bekijk de melding' })).toBeVisible();
  const width = await bramPage.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(bramPage.viewportSize()!.width);

  // The coordinators' overview counts the team's members and its log.
  await coord.goto('/teams');
  const overview = coord.getByTestId('team-overview').getByRole('row', { name: new RegExp(teamName) });
  await expect(overview).toContainText('2 (1 lead)');
  await coordContext.close();
  await phone.close();
});

test('a student signs up through a campaign QR link and the campaign results count them', async ({ browser, page, request }) => {
  const coordinator = uniqueEmail('coordinator');
  await userWithRole(request, coordinator, 'Cor', 'coordinator');
  const name = `Flyers introweek ${Date.now()}`;

  await login(page, coordinator, PASSWORD);
  await page.getByRole('link', { name: 'Campagnes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Campagnes' })).toBeVisible();
  await page.getByLabel('Naam', { exact: true }).fill(name);
  await page.getByLabel('Kanaal', { exact: true }).selectOption('qr_print');
  await page.getByLabel('Kosten in euro (optioneel)').fill('150');
  await page.getByRole('button', { name: 'Campagne aanmaken' }).click();
  const created = page.getByRole('status');
  await expect(created).toContainText('/c/');
  const link = (await created.locator('code').textContent())!;
  await expectAccessible(page);

  // The printable poster shows the QR code and the link.
  const item = page.getByRole('listitem').filter({ hasText: name });
  await item.getByRole('link', { name: 'QR-poster' }).click();
  const qr = page.getByRole('img', { name: /QR-code naar/ });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByTestId('poster')).toContainText(link);
  await expectAccessible(page);

  // A student scans it: the link opens the sign-up page, which carries the code.
  const phone = await browser.newContext({ ...test.info().project.use, locale: 'nl-NL' });
  const student = await phone.newPage();
  await student.goto(new URL(link).pathname);
  await expect(student).toHaveURL(/\/signup\?campaign=/);
  await student.getByLabel('E-mailadres').fill(uniqueEmail('sanne'));
  await student.getByLabel('Wachtwoord').fill(PASSWORD);
  await student.getByLabel('Naam').fill('Sanne');
  await student.getByLabel('Student').check();
  await student.getByLabel('Wijk').selectOption({ label: 'Selwerd' });
  await student.getByLabel(/privacyverklaring/).check();
  await student.getByRole('button', { name: 'Account aanmaken' }).click();
  await expect(student.getByRole('heading', { level: 2, name: 'Welkom, Sanne' })).toBeVisible();
  await phone.close();

  // The results count her for the campaign and its channel.
  await page.goto('/campaigns');
  const results = page.getByTestId('results-campaigns');
  const rowOf = results.getByRole('row', { name: new RegExp(name) });
  await expect(rowOf.locator('[data-col="signups"]')).toHaveText('1');
  await expect(rowOf.locator('[data-col="activated"]')).toHaveText('0');
  await expect(page.getByTestId('results-channels').getByRole('row', { name: /QR-code/ }).locator('[data-col="signups"]')).not.toHaveText('0');
});
