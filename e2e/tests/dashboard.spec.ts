import { expect, test } from '@playwright/test';
import { PASSWORD, expectAccessible, login, signupViaApi, tokenFor, uniqueEmail, userWithRole } from './helpers';
import { readFileSync } from 'node:fs';

// Hoogkerk (5) is used by no other browser test, so its numbers are this test's own.
const HOOGKERK = 5;

test('after some activity the dashboard shows the right numbers and the CSV has the right rows', async ({ page, request }) => {
  const resident = uniqueEmail('henk');
  await signupViaApi(request, resident, 'Henk', 'resident', HOOGKERK);
  const token = await tokenFor(request, resident, PASSWORD);
  const categories = await (await request.get('/api/report-categories')).json();
  const nuisance = categories.find((c: { kind: string }) => c.kind === 'nuisance');
  for (let i = 0; i < 5; i++) {
    const res = await request.post('/api/reports', {
      headers: { Authorization: `Bearer ${token}` },
      data: {
        category_id: nuisance.id, description: `Harde muziek in Hoogkerk, avond ${i + 1}`,
        occurred_at: new Date(Date.now() - 3600_000).toISOString(), neighbourhood_id: HOOGKERK,
        anonymous_to_partners: false, contact_ok: false,
      },
    });
    expect(res.status()).toBe(201);
  }

  const coordinator = uniqueEmail('coordinator');
  await userWithRole(request, coordinator, 'Cor', 'coordinator');
  await page.setViewportSize({ width: 1024, height: 900 });
  await login(page, coordinator, PASSWORD);
  // Logged in on the participant client; the dashboard is a staff page, which
  // the participant client leaves out: following the link loads the staff client.
  await expect(page.locator('html')).toHaveAttribute('data-client', 'participant');
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-client', 'staff');
  await page.locator('#dash-hood').selectOption(String(HOOGKERK));

  const reports = page.locator('section', { has: page.getByRole('heading', { name: 'Meldingen', exact: true }) });
  await expect(reports.locator('[data-metric="reports_filed"] .kpi-value')).toHaveText('5');
  await expect(reports.getByRole('row', { name: /Hoogkerk/ })).toContainText('5');
  const participation = page.locator('section', { has: page.getByRole('heading', { name: 'Deelname', exact: true }) });
  await expect(participation.locator('[data-metric="signups"] .kpi-value')).toHaveText('1');
  await expect(participation.locator('[data-metric="active_participants"] .kpi-value')).toHaveText('1');
  await expectAccessible(page);

  // A target shows its progress next to the figure.
  await page.locator('#target-metric').selectOption('reports_filed');
  await page.locator('#target-value').fill('10');
  await page.locator('#target-due').fill('2030-01-01');
  await page.locator('#target-label').fill('Tien meldingen');
  await page.getByRole('button', { name: 'Doel opslaan' }).click();
  await expect(reports.locator('[data-metric="reports_filed"] .kpi-target')).toContainText('Tien meldingen');

  // Drill down: the neighbourhood row leads to the queue filtered on it.
  await reports.getByRole('link', { name: 'Hoogkerk' }).click();
  await expect(page).toHaveURL(/\/queue\?neighbourhood_id=5/);
  await expect(page.locator('#filter-neighbourhood')).toHaveValue(String(HOOGKERK));
  await expect(page.getByRole('link', { name: /^WV-\d{4}-\d+ · / })).toHaveCount(5);
  await page.goBack();

  await page.locator('#dash-hood').selectOption(String(HOOGKERK));
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'CSV downloaden' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('monitor-all.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('neighbourhood,reports,Hoogkerk,5,,');
  expect(csv).toContain('neighbourhood,signups,Hoogkerk,<5,,');

  // The printable monitor opens in a tab of its own.
  const opening = page.context().waitForEvent('page');
  await page.getByRole('button', { name: 'Raadsmonitor (afdrukbaar)' }).click();
  const monitor = await opening;
  await expect(monitor.getByRole('heading', { level: 1, name: 'Monitor Wijkveilig all' })).toBeVisible();
  await expect(monitor.getByRole('row', { name: /Hoogkerk/ })).toHaveText(/Hoogkerk\s*<5\s*5\s*0\s*0/);
  await expectAccessible(monitor);

  // On a phone the dashboard still fits.
  await page.setViewportSize({ width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
});
