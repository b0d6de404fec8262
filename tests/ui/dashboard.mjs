// End to end in headless Debian chromium (playwright-core): the dashboard of a signed-in user
// creates a subscription, tests a JSONPath, an event is sent to /receive, and the delivery with
// its attempt appears on the page; then disable/enable and delete work. Screenshots go to
// <screenshot dir> (docs/dashboard.png is one of them, refreshed by `make screenshots`).
// Usage: node dashboard.mjs <dir with pacifica-notifications> <screenshot dir>
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startReceiver, startServer } from '../openapi/lib/server.mjs';

const [binDir, shotDir] = process.argv.slice(2);
if (!binDir || !shotDir) {
  console.error('usage: node dashboard.mjs <dir with pacifica-notifications> <screenshot dir>');
  process.exit(2);
}
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const USER = 'dana';

async function main() {
  mkdirSync(shotDir, { recursive: true });
  const target = await startReceiver(200);
  const policy = await startReceiver(200);
  const server = await startServer(binDir, { POLICY_URL: policy.url });
  const profile = mkdtempSync(path.join(tmpdir(), 'pn-chromium-'));
  // A new empty profile (--user-data-dir): playwright passes it for a persistent context.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // The reverse proxy would set the user header; the browser context does it here.
    extraHTTPHeaders: { 'Http-Remote-User': USER },
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    // No request may leave for another host: the page works without network access.
    const foreign = [];
    page.on('request', (r) => { if (!r.url().startsWith(server.url)) foreign.push(r.url()); });

    await page.goto(`${server.url}/ui`);
    assert.equal(await page.textContent('#user'), USER);
    await page.waitForSelector('#no-subscriptions:not([hidden])');

    // Create a subscription through the form.
    await page.fill('#editor [name=name]', 'ingest events');
    await page.fill('#editor [name=jsonpath]', '$[?(@.type = "org.pacifica.metadata.ingest")]');
    await page.fill('#editor [name=target_url]', `${target.url}/hook`);
    await page.fill('#editor [name=extensions]', '{"routed_by": "dashboard"}');
    await page.click('#save');
    const row = page.locator('#subscriptions tbody tr', { hasText: 'ingest events' });
    await row.waitFor();
    assert.match(await page.textContent('#status'), /^Created ingest events/);
    assert.equal(await row.locator('.state-enabled').textContent(), 'enabled');

    // Test the JSONPath against a pasted event.
    await page.fill('#tester [name=jsonpath]', '$.data[*].key');
    await page.fill('#tester [name=event]', JSON.stringify({ type: 'org.pacifica.metadata.ingest', data: [{ key: 'Tag' }, { key: 'Proposal' }] }));
    await page.click('#run-test');
    await page.waitForSelector('#test-results tbody tr');
    assert.equal(await page.textContent('#test-summary'), 'Matches: selects 2 value(s).');
    assert.deepEqual(await page.locator('#test-results tbody tr td:first-child').allTextContents(), ['$["data"][0]["key"]', '$["data"][1]["key"]']);
    await page.screenshot({ path: path.join(shotDir, 'dashboard-jsonpath-test.png'), fullPage: true });

    // Open the deliveries panel, then send an event: the delivery appears with its attempt.
    await row.locator('[data-action=deliveries]').click();
    await page.waitForSelector('#no-deliveries:not([hidden])');
    const sent = await fetch(`${server.url}/receive`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: 'ui-test-1', type: 'org.pacifica.metadata.ingest', source: '/pacifica/metadata/ingest', data: [{ key: 'Tag', value: 'dashboard' }] }),
    });
    assert.equal(sent.status, 200);
    const eventUuid = (await sent.text()).trim();
    await target.waitFor(1);
    assert.equal(JSON.parse(target.requests[0].body).extensions.routed_by, 'dashboard');
    const delivered = page.locator('.delivery[data-state=delivered]');
    await delivered.waitFor({ timeout: 20000 });
    assert.match(await delivered.locator('.hint').textContent(), new RegExp(`event ${eventUuid}`));
    assert.equal(await delivered.locator('.target-status').first().textContent(), '200');
    assert.match(await delivered.locator('h3').textContent(), /org\.pacifica\.metadata\.ingest ui-test-1/);
    await page.screenshot({ path: path.join(shotDir, 'dashboard.png'), fullPage: true });

    // Disable, then enable again.
    await row.locator('[data-action=toggle]').click();
    await row.locator('.state-disabled').waitFor();
    await row.locator('[data-action=toggle]').click();
    await row.locator('.state-enabled').waitFor();

    // Edit the name.
    await row.locator('[data-action=edit]').click();
    await page.fill('#editor [name=name]', 'ingest events (edited)');
    await page.click('#save');
    await page.locator('#subscriptions tbody tr', { hasText: 'ingest events (edited)' }).waitFor();

    // Delete (confirming the dialog).
    page.once('dialog', (d) => d.accept());
    await page.locator('#subscriptions tbody tr [data-action=delete]').click();
    await page.waitForSelector('#no-subscriptions:not([hidden])');
    assert.equal(await page.locator('#subscriptions tbody tr').count(), 0);

    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(foreign, []);
    console.log(`dashboard: subscription created, jsonpath tested, delivery ${eventUuid} shown, toggled, edited, deleted; screenshots in ${shotDir}`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await server.stop();
    await target.close();
    await policy.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
