// Loads the dashboard in headless Chromium, gives it the API key, waits for the dead letter, clicks
// Replay, and waits for it to leave the list. Usage: node dashboard-test.mjs <base url> <api key> <job id> <screenshot dir>
// Exit 0 on success; non-zero with a message otherwise. Screenshots: before.png, after.png.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, key, jobId, shots] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'dashboard-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  viewport: { width: 1400, height: 900 },
});
const fail = async (message) => {
  console.error('FAIL ' + message);
  await context.close();
  process.exit(1);
};
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('dialog', (d) => d.accept());
  page.on('pageerror', (e) => console.error('page error: ' + e.message));
  await page.goto(base + '/dashboard');
  await page.fill('#api-key', key);
  await page.click('#save-key');
  const row = page.locator(`tr.dlq-row[data-job-id="${jobId}"]`);
  await row.waitFor({ state: 'visible', timeout: 20000 });
  await page.locator('#ledger-balance').waitFor({ timeout: 10000 });
  const reason = (await row.locator('td').nth(2).textContent()).trim();
  const queues = await page.locator('#queues tr').count();
  console.log(`seen dead letter ${jobId} reason=${reason}; ${queues} queues shown`);
  if (queues === 0) await fail('no queues shown');
  if (!(await page.evaluate(() => sessionStorage.getItem('jobsApiKey')))) await fail('the key is not in sessionStorage');
  await page.screenshot({ path: join(shots, 'before.png'), fullPage: true });
  await row.locator('button.replay').click();
  await row.waitFor({ state: 'detached', timeout: 20000 });
  await page.screenshot({ path: join(shots, 'after.png'), fullPage: true });
  console.log('replayed: the dead letter left the list');
} catch (e) {
  await fail(e.message);
}
await context.close();
