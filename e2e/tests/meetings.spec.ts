import { Browser, expect, Locator, Page, test } from '@playwright/test';
import {
  PASSWORD, expectAccessible, localInput, login, signupViaApi, tokenFor, userWithRole, uniqueEmail,
} from './helpers';

const VINKHUIZEN = 12;

/** Opens a topic's coordinator controls (a <details> that stays open across refreshes). */
async function openAdmin(item: Locator) {
  const details = item.locator('details.admin');
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
}

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ ...test.info().project.use, locale: 'nl-NL' });
  return context.newPage();
}

test('residents set the agenda of a Vinkhuizen meeting and follow up on it', async ({ browser, request }) => {
  const coordinator = uniqueEmail('coco');
  const anna = uniqueEmail('anna');
  const bram = uniqueEmail('bram');
  await userWithRole(request, coordinator, 'Coco', 'coordinator');
  await signupViaApi(request, anna, 'Anna', 'resident', VINKHUIZEN);
  await signupViaApi(request, bram, 'Bram', 'resident', VINKHUIZEN);
  const title = `Veiligheid Vinkhuizen ${Date.now()}`;

  // The coordinator creates the meeting.
  const coco = await phone(browser);
  await login(coco, coordinator, PASSWORD);
  await coco.getByRole('link', { name: 'Bijeenkomsten' }).click();
  await coco.getByRole('link', { name: 'Nieuwe bijeenkomst' }).click();
  await coco.getByLabel('Wijk', { exact: true }).selectOption({ label: 'Vinkhuizen' });
  await coco.getByLabel('Titel', { exact: true }).fill(title);
  await coco.getByLabel('Begint op').fill(localInput(60 * 24 * 14));
  await coco.getByLabel('Plaats', { exact: true }).fill('Wijkcentrum De Dilgt');
  await coco.getByLabel('Onderwerpen voorstellen tot').fill(localInput(60 * 24 * 7));
  await coco.getByLabel('Aantal plaatsen').fill('60');
  await expectAccessible(coco);
  await coco.getByRole('button', { name: 'Bijeenkomst aanmaken' }).click();
  await expect(coco.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(coco.getByTestId('meeting-status')).toHaveText('gepland');
  const meetingUrl = coco.url();

  // Two residents propose topics on their phones; Bram supports Anna's.
  const annaPage = await phone(browser);
  await login(annaPage, anna, PASSWORD);
  await annaPage.getByRole('link', { name: 'Bijeenkomsten' }).click();
  await annaPage.getByRole('link', { name: title }).click();
  await annaPage.getByLabel('Onderwerp', { exact: true }).fill('Fietsen in de portieken');
  await annaPage.getByLabel('Waarom is dit belangrijk?').fill('De portieken staan vol fietsen; bij brand kom je er niet uit.');
  await annaPage.getByRole('button', { name: 'Voorstellen' }).click();
  await expect(annaPage.getByRole('heading', { level: 3, name: 'Fietsen in de portieken' })).toBeVisible();
  await annaPage.getByRole('button', { name: 'Ik kom', exact: true }).click();
  await expect(annaPage.getByRole('button', { name: 'Ik kom', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expectAccessible(annaPage);

  const bramPage = await phone(browser);
  await login(bramPage, bram, PASSWORD);
  await bramPage.goto(meetingUrl);
  await bramPage.getByLabel('Onderwerp', { exact: true }).fill('Harde muziek na middernacht');
  await bramPage.getByLabel('Waarom is dit belangrijk?').fill('Elk weekend feesten tot vier uur in de flat.');
  await bramPage.getByRole('button', { name: 'Voorstellen' }).click();
  const annaTopic = bramPage.getByRole('listitem').filter({ has: bramPage.getByRole('heading', { name: 'Fietsen in de portieken' }) });
  await annaTopic.getByRole('button', { name: 'Steunen' }).click();
  await expect(annaTopic.getByTestId('support-count')).toHaveText('1 steunbetuigingen');
  await expect(annaTopic.getByRole('button', { name: 'Steun intrekken' })).toBeVisible();
  await expectAccessible(bramPage);

  // The coordinator puts Anna's topic on the agenda, holds the meeting and adds a police action.
  await coco.reload();
  const topic = coco.getByRole('listitem').filter({ has: coco.getByRole('heading', { name: 'Fietsen in de portieken' }) });
  await openAdmin(topic);
  await topic.getByLabel('Nieuwe status').selectOption({ label: 'op de agenda' });
  await topic.getByRole('button', { name: 'Status wijzigen' }).click();
  await expect(topic.locator('.status')).toHaveText('op de agenda');
  await coco.getByRole('button', { name: 'Naar: agenda vastgesteld' }).click();
  await expect(coco.getByTestId('meeting-status')).toHaveText('agenda vastgesteld');
  await coco.getByRole('button', { name: 'Naar: gehouden' }).click();
  await expect(coco.getByTestId('meeting-status')).toHaveText('gehouden');
  const held = coco.getByRole('listitem').filter({ has: coco.getByRole('heading', { name: 'Fietsen in de portieken' }) });
  await openAdmin(held);
  await held.getByLabel('Nieuwe status').selectOption({ label: 'besproken' });
  await held.getByRole('button', { name: 'Status wijzigen' }).click();
  await expect(held.locator('.status')).toHaveText('besproken');
  await openAdmin(held);
  await held.getByLabel('Actie', { exact: true }).fill('Wijkagent controleert de portieken');
  await held.getByLabel('Eigenaar').selectOption({ label: 'politie' });
  const due = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
  await held.getByLabel('Uiterlijk op').fill(due);
  await held.getByRole('button', { name: 'Actie toevoegen' }).click();
  await expect(held.getByText('Wijkagent controleert de portieken')).toBeVisible();
  await expectAccessible(coco);

  // Anna sees the action under "my topics", and the notification.
  await annaPage.getByRole('link', { name: 'Mijn onderwerpen' }).click();
  await expect(annaPage.getByRole('heading', { level: 2, name: 'Fietsen in de portieken' })).toBeVisible();
  await expect(annaPage.locator('strong', { hasText: 'Wijkagent controleert de portieken' })).toBeVisible();
  await expect(annaPage.getByText(/politie · uiterlijk/)).toBeVisible();
  await expectAccessible(annaPage);
  await annaPage.getByRole('link', { name: 'Berichten' }).click();
  await expect(annaPage.getByText('besproken').first()).toBeVisible();

  // A meeting whose proposal deadline has passed refuses new topics.
  const token = await tokenFor(request, coordinator, PASSWORD);
  const soon = new Date(Date.now() + 2_000).toISOString();
  const res = await request.post('/api/meetings', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      neighbourhood_id: VINKHUIZEN, title: `Te laat ${Date.now()}`, place: 'Wijkcentrum',
      starts_at: new Date(Date.now() + 86_400_000).toISOString(), propose_until: soon, capacity: 10,
    },
  });
  expect(res.status()).toBe(201);
  const late = await res.json();
  await annaPage.waitForTimeout(2_500);
  await annaPage.goto(`/meetings/${late.id}`);
  await expect(annaPage.getByTestId('no-proposing')).toBeVisible();
  await expect(annaPage.getByRole('button', { name: 'Voorstellen' })).toHaveCount(0);
  const annaToken = await tokenFor(request, anna, PASSWORD);
  const refused = await request.post(`/api/meetings/${late.id}/topics`, {
    headers: { Authorization: `Bearer ${annaToken}` },
    data: { title: 'Te laat', description: 'Dit voorstel komt na de termijn.' },
  });
  expect(refused.status()).toBe(409);
  expect((await refused.json()).detail).toContain('deadline');
});
