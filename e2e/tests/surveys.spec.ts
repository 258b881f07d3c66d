import { Browser, expect, Page, test } from '@playwright/test';
import { PASSWORD, expectAccessible, login, signupViaApi, userWithRole, uniqueEmail } from './helpers';

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ ...test.info().project.use, locale: 'nl-NL' });
  return context.newPage();
}

test('a coordinator builds a student survey, a student answers it once, a resident never sees it', async ({ browser, request }) => {
  const coordinator = uniqueEmail('coco');
  const student = uniqueEmail('stan');
  const resident = uniqueEmail('roos');
  await userWithRole(request, coordinator, 'Coco', 'coordinator');
  await signupViaApi(request, student, 'Stan', 'student');
  await signupViaApi(request, resident, 'Roos', 'resident');
  const title = `Veilig wonen ${Date.now()}`;

  // The coordinator builds and publishes the survey.
  const coco = await phone(browser);
  await login(coco, coordinator, PASSWORD);
  await coco.getByRole('link', { name: 'Vragenlijsten' }).click();
  await coco.getByRole('link', { name: 'Nieuwe vragenlijst' }).click();
  await expect(coco.getByRole('heading', { level: 1, name: 'Nieuwe vragenlijst' })).toBeVisible();
  await coco.getByLabel('Titel (Nederlands)').fill(title);
  await coco.getByLabel('Titel (Engels)').fill('Living safely');
  await coco.getByLabel('Uitleg (Nederlands)').fill('Drie korte vragen over je buurt.');
  await expect(coco.getByLabel('Student')).toBeChecked();
  await expect(coco.getByLabel('Bewoner')).not.toBeChecked();
  // A Likert question (the default type).
  await coco.getByRole('button', { name: 'Vraag toevoegen' }).click();
  await coco.getByLabel('Vraag (Nederlands)').fill('Hoe veilig voel je je thuis?');
  await coco.getByLabel('Vraag (Engels)').fill('How safe do you feel at home?');
  await coco.getByLabel('Label laagste punt (NL)').fill('Erg onveilig');
  await coco.getByLabel('Label laagste punt (EN)').fill('Very unsafe');
  await coco.getByLabel('Label hoogste punt (NL)').fill('Erg veilig');
  await coco.getByLabel('Label hoogste punt (EN)').fill('Very safe');
  // A single-choice question.
  await coco.getByLabel('Soort vraag').selectOption({ label: 'Eén keuze' });
  await coco.getByRole('button', { name: 'Vraag toevoegen' }).click();
  const second = coco.locator('.question-editor').nth(1);
  await second.getByLabel('Vraag (Nederlands)').fill('Is er bij je ingebroken?');
  await second.getByLabel('Vraag (Engels)').fill('Was your home broken into?');
  await second.getByLabel('Optie 1 (NL)').fill('Ja');
  await second.getByLabel('Optie 1 (EN)').fill('Yes');
  await second.getByLabel('Optie 2 (NL)').fill('Nee');
  await second.getByLabel('Optie 2 (EN)').fill('No');
  // Reorder: the choice question first, then preview it.
  await coco.getByRole('button', { name: 'Vraag 2 omhoog' }).click();
  await expect(coco.locator('.question-editor').first().getByLabel('Vraag (Nederlands)')).toHaveValue('Is er bij je ingebroken?');
  await coco.getByLabel('Voorbeeld tonen zoals deelnemers het zien').check();
  await expect(coco.locator('.preview').first().getByText('Is er bij je ingebroken?')).toBeVisible();
  await expectAccessible(coco);
  await coco.getByRole('button', { name: 'Opslaan' }).click();
  await expect(coco.getByText('De vragenlijst is opgeslagen.')).toBeVisible();
  await expect(coco.getByTestId('survey-status')).toHaveText('concept');
  await coco.getByRole('button', { name: 'Publiceren' }).click();
  await expect(coco.getByTestId('survey-status')).toHaveText('gepubliceerd');
  await expectAccessible(coco);

  // The student answers on a phone; the draft survives a reload.
  const stan = await phone(browser);
  await login(stan, student, PASSWORD);
  await stan.getByRole('link', { name: 'Vragenlijsten' }).click();
  await expect(stan.getByRole('link', { name: title })).toBeVisible();
  await expectAccessible(stan);
  await stan.getByRole('link', { name: title }).click();
  await expect(stan.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(stan.getByText('0 van 2 vragen beantwoord')).toBeVisible();
  await expectAccessible(stan);
  await stan.getByRole('button', { name: 'Antwoorden versturen' }).click();
  await expect(stan.getByRole('alert')).toContainText('Beantwoord deze vraag.');
  await expectAccessible(stan);
  await stan.getByLabel('Nee').check();
  await expect(stan.getByText('1 van 2 vragen beantwoord')).toBeVisible();
  await stan.reload();
  await expect(stan.getByLabel('Nee')).toBeChecked();
  await stan.getByText('4', { exact: true }).click();
  await expect(stan.getByText('2 van 2 vragen beantwoord')).toBeVisible();
  await stan.getByRole('button', { name: 'Antwoorden versturen' }).click();
  await expect(stan.getByRole('heading', { name: 'Dank je wel!' })).toBeVisible();
  await stan.getByRole('link', { name: 'Terug naar vragenlijsten' }).click();
  await expect(stan.getByText('Ingevuld, dank je!')).toBeVisible();
  // A second answer is refused.
  await stan.getByRole('link', { name: title }).click();
  await expect(stan.getByTestId('already')).toBeVisible();
  await expect(stan.getByRole('button', { name: 'Antwoorden versturen' })).toHaveCount(0);
  const surveyUrl = stan.url();
  const token = await stan.evaluate(async () => {
    const res = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' });
    return (await res.json()).access_token as string;
  });
  const id = Number(new URL(surveyUrl).pathname.split('/').pop());
  const again = await request.post(`/api/surveys/${id}/responses`, {
    data: { answers: [] }, headers: { Authorization: `Bearer ${token}` },
  });
  expect(again.status()).toBe(409);

  // The resident does not see it.
  const roos = await phone(browser);
  await login(roos, resident, PASSWORD);
  await roos.getByRole('link', { name: 'Vragenlijsten' }).click();
  await expect(roos.getByText('Er staan nu geen vragenlijsten voor je open.')).toBeVisible();
  await expect(roos.getByRole('link', { name: title })).toHaveCount(0);
  await roos.goto(surveyUrl);
  await expect(roos.getByRole('heading', { level: 1, name: 'Pagina niet gevonden' })).toBeVisible();

  // The results show the answer.
  await coco.getByRole('link', { name: 'Resultaten' }).click();
  await expect(coco.getByTestId('respondents')).toHaveText('1');
  await expect(coco.getByRole('cell', { name: '100.0%' }).first()).toBeAttached();
  await expect(coco.getByRole('button', { name: 'Download CSV' })).toBeVisible();
  await expectAccessible(coco);
});
