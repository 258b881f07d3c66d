import { APIRequestContext, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const ADMIN = { email: 'admin@e2e.test', password: 'beheer wachtwoord voor e2e' };
export const PASSWORD = 'fietsen langs het diep';

let counter = 0;
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}.${Date.now()}.${counter}@student.rug.nl`;
}

/** Creates an account through the API (no browser), returns its id. */
export async function signupViaApi(
  request: APIRequestContext, email: string, name: string, group: 'student' | 'resident' = 'student',
  neighbourhoodId = 1,
): Promise<number> {
  const res = await request.post('/api/auth/signup', {
    data: {
      email, password: PASSWORD, display_name: name, group,
      neighbourhood_id: neighbourhoodId, accepted_privacy_version: '2026-11-26',
    },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).user.id;
}

export async function login(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /Welkom/ })).toBeVisible();
}

/** Waits for the web client to have replaced the server's first view of the
 * page (`#shell`, which shows the heading and menu before the client loads). */
export async function clientReady(page: Page) {
  await expect(page.locator('#shell')).toHaveCount(0);
}

/** Fails on serious or critical axe-core violations. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

/** Creates an account through the API and gives it `role` as the admin. */
export async function userWithRole(request: APIRequestContext, email: string, name: string, role: string): Promise<void> {
  const id = await signupViaApi(request, email, name);
  if (role === 'participant') return;
  const login = await request.post('/api/auth/login', { data: ADMIN });
  expect(login.status()).toBe(200);
  const token = (await login.json()).access_token;
  const res = await request.patch(`/api/admin/users/${id}`, {
    data: { role },
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status()).toBe(200);
}

/** A tiny valid PNG (1x1, red). */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

/** An access token for an account, through the API. */
export async function tokenFor(request: APIRequestContext, email: string, password: string): Promise<string> {
  const res = await request.post('/api/auth/login', { data: { email, password } });
  expect(res.status()).toBe(200);
  return (await res.json()).access_token;
}

/** A local time `minutes` from now as a datetime-local value. */
export function localInput(minutes: number): string {
  const d = new Date(Date.now() + minutes * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
