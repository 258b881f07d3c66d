// Signs a student up through the form, as one would on a phone; the session
// (refresh cookie) stays with the page's browser for the next load. Used by
// the scripts that measure a logged-in student's report form.
export async function signUpStudent(page, base, name) {
  await page.goto(`${base}/signup`);
  await page.waitForSelector('#neighbourhood_id option[value="1"]');
  await page.type('#email', `${name.toLowerCase()}.${Date.now()}@student.rug.nl`);
  await page.type('#password', 'fietsen langs het diep');
  await page.type('#display_name', name);
  await page.click('#group-student');
  await page.select('#neighbourhood_id', '1');
  await page.click('#accepted_privacy_version');
  await Promise.all([
    page.waitForFunction(() => location.pathname !== '/signup', { timeout: 15000 }),
    page.click('button[type="submit"]'),
  ]);
}
