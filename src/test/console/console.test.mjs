// Browser tests of the web console at /admin/: Playwright (playwright-core) driving Debian's Chromium,
// against a real udapi process started by ConsoleBrowserIT (real HTTP, real store, real scripts).
// Run through ./mvnw verify; by hand: UDAPI_URL=http://127.0.0.1:8080 UDAPI_ADMIN_PASSWORD=... node --test console.test.mjs
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { checkRoute } from '../../main/resources/META-INF/resources/admin/js/rules.js';

const BASE = process.env.UDAPI_URL ?? 'http://127.0.0.1:8080';
const USER = process.env.UDAPI_ADMIN_USER ?? 'admin';
const PASSWORD = process.env.UDAPI_ADMIN_PASSWORD;
const SHOTS = process.env.SCREENSHOT_DIR ?? 'target/console-screenshots';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// The flags that work on these machines: no sandbox as root, and no background traffic to Google's
// hosts, which the closed network refuses. Playwright itself adds --headless and a fresh profile dir.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const DAY = 86_400_000;

assert.ok(PASSWORD, 'UDAPI_ADMIN_PASSWORD must be set');
mkdirSync(SHOTS, { recursive: true });

/** The management API, called directly: to arrange state "from curl" and to check what the console did. */
async function admin(method, path, body) {
  const response = await fetch(`${BASE}/admin/v1${path}`, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

async function tokenNamed(name) {
  const { json } = await admin('GET', `/tokens?name=${encodeURIComponent(name)}`);
  return json.items.find((t) => t.name === name);
}

let browser;
let context;
let page;

async function signIn(p) {
  await p.goto(`${BASE}/admin/`);
  await p.getByLabel('User name').fill(USER);
  await p.getByLabel('Password').fill(PASSWORD);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.locator('#user-name', { hasText: USER }).waitFor();
}

function row(p, text) {
  return p.locator('tbody tr', { hasText: text });
}

async function shot(p, name) {
  await p.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Every input, select and textarea on the page that has neither a <label> nor an aria-label. */
function unlabelledControls(p) {
  return p.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((c) => c.type !== 'hidden' && c.labels.length === 0 && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby'))
    .map((c) => c.outerHTML));
}

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  context.setDefaultTimeout(20_000);
  page = await context.newPage();
  watch(page);
});

// Script errors and CSP violations (Chromium reports both on the console) fail the last test. A failed
// resource is not one of them: the tester shows 401s on purpose.
const pageErrors = [];
function watch(p) {
  p.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`);
  });
}

after(async () => {
  await browser?.close();
});

describe('udapi console', () => {
  let secret;

  test('is served at /admin/ with a CSP that allows only its own files and forbids framing', async () => {
    const response = await fetch(`${BASE}/admin/`);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    const bare = await fetch(`${BASE}/admin`, { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/admin/');
  });

  test('refuses a wrong password and signs in through the management API', async () => {
    await page.goto(`${BASE}/admin/`);
    await shot(page, 'desktop-sign-in');
    assert.deepEqual(await unlabelledControls(page), []);
    await page.getByLabel('User name').fill(USER);
    await page.getByLabel('Password').fill('not-the-password-000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong user name or password.').waitFor();
    await signIn(page);
    await page.locator('#live-state[data-state="live"]').waitFor();
  });

  test('creates a token, shows its secret once with a working copy button, and forgets it on close', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByRole('button', { name: 'New token' }).click();
    const form = page.getByRole('dialog', { name: 'New token' });
    await form.getByLabel('Name', { exact: true }).fill('bad name!');
    await form.getByText('a token name has 1–50 characters from A-Z a-z 0-9 - _').waitFor();
    await form.getByLabel('Name', { exact: true }).fill('console-bot');
    assert.equal(await form.getByLabel('Requests').inputValue(), '60', 'default rate limit: 60 per minute');
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, 'desktop-token-create');
    await form.getByRole('button', { name: 'Generate' }).click();

    const dialog = page.getByRole('dialog', { name: 'Secret of console-bot' });
    secret = await dialog.getByLabel('Secret', { exact: true }).inputValue();
    assert.ok(secret.length >= 32, 'a generated secret has at least 32 characters');
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await dialog.getByText('Copied to the clipboard.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    assert.ok(await dialog.getByRole('button', { name: 'Done' }).isDisabled(), 'Done waits for "I have saved it"');
    await page.keyboard.press('Escape');
    assert.ok(await dialog.isVisible(), 'Escape does not close the dialog before the secret is saved');
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, 'desktop-token-secret');
    await dialog.getByLabel('I have saved the secret').check();
    await dialog.getByRole('button', { name: 'Done' }).click();
    // At once, with no waiting: a closed <dialog> is hidden from role queries but can still be in the DOM,
    // so the check counts every dialog element, hidden or not, in the task right after the click.
    assert.equal(await page.evaluate(() => document.querySelectorAll('dialog').length), 0,
      'the secret dialog left the document when Done was clicked');

    const html = await page.content();
    assert.ok(!html.includes(secret), 'the secret is not in the page once the dialog is closed');
    const values = await page.evaluate(() => [...document.querySelectorAll('input, textarea')].map((i) => i.value));
    assert.ok(!values.includes(secret), 'no field holds the secret');
    await row(page, 'console-bot').getByText('60 / 1m').waitFor();
    const stored = await tokenNamed('console-bot');
    assert.deepEqual(stored.rateLimit, { limit: 60, window: 'PT1M' });
  });

  test('shows the server refusal in the form and keeps the input when a name is taken', async () => {
    await page.getByRole('button', { name: 'New token' }).click();
    const form = page.getByRole('dialog', { name: 'New token' });
    await form.getByLabel('Name', { exact: true }).fill('CONSOLE-bot');
    await form.getByRole('button', { name: 'Generate' }).click();
    await form.getByRole('alert').filter({ hasText: 'CONSOLE-bot' }).waitFor();
    assert.equal(await form.getByLabel('Name', { exact: true }).inputValue(), 'CONSOLE-bot');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });
  });

  test('checks the route while it is typed, with the same verdicts as the server', async () => {
    await page.getByRole('link', { name: 'APIs' }).click();
    await page.getByRole('button', { name: 'New API' }).click();
    const form = page.getByRole('dialog', { name: 'New API' });
    await form.getByLabel('Route', { exact: true }).fill('orders/{id');
    await form.locator('.route-check.bad', { hasText: 'a placeholder fills a whole segment' }).waitFor();
    await form.getByLabel('Route', { exact: true }).fill('orders/{id}/echo');
    await form.locator('.route-check.ok', { hasText: 'Placeholders: id' }).waitFor();
    await form.locator('.route-check.ok', { hasText: `${BASE}/api/custom/orders/{id}/echo` }).waitFor();

    const token = await tokenNamed('console-bot');
    const routes = ['a/b', 'tickets/{id}/status', '', '   ', '/lead', 'trail/', 'a//b', 'do{x}', '{id}-x', '{1a}',
      '{a}/{a}', 'a b', 'a:b', 'a?b', 'a*b', 'tab\there', 'x'.repeat(200), 'x'.repeat(201), 'ünï/cödé', '{_ok9}/{B}'];
    for (const route of routes) {
      const local = checkRoute(route);
      const { status, json } = await admin('POST', '/definitions',
        { route, actionMeta: { scriptName: 'echo' }, allowedTokens: [token.id] });
      if (local.ok) {
        assert.equal(status, 201, `console accepts ${JSON.stringify(route)}, so must the server: ${JSON.stringify(json)}`);
        await admin('DELETE', `/definitions/${json.id}`);
      } else {
        assert.equal(status, 400, `console refuses ${JSON.stringify(route)}, so must the server`);
        const message = json.errors[0].message;
        assert.equal(json.errors[0].reason, 'InvalidRoute');
        if (route === '') {
          // the server treats an empty route as a missing one
          assert.equal(message, 'route is required');
          continue;
        }
        assert.ok(message.includes(local.finding) && message.includes(local.rule),
          `same finding and rule for ${JSON.stringify(route)}: server says ${message}, console ${local.finding} / ${local.rule}`);
      }
    }
  });

  test('creates an API for a script, allowed to the new token', async () => {
    const form = page.getByRole('dialog', { name: 'New API' });
    await form.getByLabel('Name (optional)').fill('Order echo');
    await form.getByLabel('Description (optional)').fill('Answers with what it was sent.');
    await form.getByLabel('Script name').fill('echo');
    await form.getByLabel('Search tokens').fill('console');
    await form.getByRole('checkbox', { name: 'console-bot' }).check();
    // the shortcut creates a token on top of this form and checks it
    await form.getByRole('button', { name: 'New token…' }).click();
    const tokenForm = page.getByRole('dialog', { name: 'New token' });
    await tokenForm.getByLabel('Name', { exact: true }).fill('shortcut-bot');
    await tokenForm.getByRole('button', { name: 'Generate' }).click();
    const secretDialog = page.getByRole('dialog', { name: 'Secret of shortcut-bot' });
    await secretDialog.getByLabel('I have saved the secret').check();
    await secretDialog.getByRole('button', { name: 'Done' }).click();
    assert.ok(await form.getByRole('checkbox', { name: 'shortcut-bot' }).isChecked());
    assert.ok(await form.getByRole('checkbox', { name: 'console-bot' }).isChecked(), 'the earlier choice is kept');
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, 'desktop-api-create');
    await form.getByRole('button', { name: 'Create' }).click();
    await form.waitFor({ state: 'detached' });
    const apiRow = row(page, 'orders/{id}/echo');
    await apiRow.getByText(`${BASE}/api/custom/orders/{id}/echo`).waitFor();
    await apiRow.getByText('console-bot').waitFor();
    await apiRow.getByText('shortcut-bot').waitFor();
    await apiRow.getByRole('button', { name: 'Copy URL' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${BASE}/api/custom/orders/{id}/echo`);
  });

  test('triggers the API from the tester through /api/custom and shows 200 with the pretty body', async () => {
    await row(page, 'orders/{id}/echo').getByRole('button', { name: 'Test' }).click();
    await page.getByLabel('API').locator('option:checked', { hasText: 'orders/{id}/echo' }).waitFor({ state: 'attached' });
    await page.getByLabel('Method').selectOption('POST');
    await page.getByLabel('Secret', { exact: true }).fill(secret);
    await page.getByLabel('Route parameter id').fill('42');
    await page.getByLabel('Query string').fill('verbose=yes');
    await page.getByLabel('Body').fill('{"hello":"console"}');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#tester-status', { hasText: '200' }).waitFor();
    assert.equal(await page.locator('#tester-error-code').textContent(), '—');
    const body = await page.locator('#tester-body').textContent();
    assert.match(body, /"id": "42"/, 'the script saw the route parameter; the body is pretty-printed');
    assert.match(await page.locator('#tester-time').textContent(), /^\d+\.\d ms$/);
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, 'desktop-tester');
  });

  test('a disabled token is refused on the next trigger with 401 and code 1010', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await row(page, 'console-bot').getByRole('button', { name: 'Disable' }).click();
    await row(page, 'console-bot').getByText('Disabled', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Trigger tester' }).click();
    await page.getByLabel('Secret', { exact: true }).fill(secret);
    await page.getByLabel('Route parameter id').fill('42');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#tester-status', { hasText: '401' }).waitFor();
    assert.equal(await page.locator('#tester-error-code').textContent(), '1010');
  });

  test('shows tokens created elsewhere live, and bulk revoke keeps the in-use token with links to its APIs', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await row(page, 'console-bot').waitFor();
    const spare = await admin('POST', '/tokens', { name: 'spare-token' });
    assert.equal(spare.status, 201);
    await row(page, 'spare-token').waitFor(); // no reload: the event stream refreshed the table
    await row(page, 'console-bot').getByRole('checkbox').check();
    await row(page, 'spare-token').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Revoke selected (2)' }).click();
    await page.getByRole('dialog', { name: 'Revoke 2 tokens?' }).getByRole('button', { name: 'Revoke' }).click();
    const result = page.getByRole('dialog', { name: 'Revoke result' });
    await result.locator('li[data-status="deleted"]', { hasText: 'spare-token' }).waitFor();
    const kept = result.locator('li[data-status="inUse"]', { hasText: 'console-bot' });
    await kept.getByText('kept, because it is in use').waitFor();
    await shot(page, 'desktop-revoke-result');
    assert.equal((await admin('GET', `/tokens/${spare.json.id}`)).status, 404, 'the unused token is gone');
    assert.ok(await tokenNamed('console-bot'), 'the token in use is kept');
    await kept.getByRole('link', { name: 'orders/{id}/echo' }).click();
    await page.locator('#apis-view tr.focused', { hasText: 'orders/{id}/echo' }).waitFor();
  });

  test('highlights an expiry within seven days and one that has passed', async () => {
    const now = Date.now();
    assert.equal((await admin('POST', '/tokens', { name: 'expires-soon', expiresAt: new Date(now + 3 * DAY).toISOString() })).status, 201);
    assert.equal((await admin('POST', '/tokens', { name: 'expires-later', expiresAt: new Date(now + 60 * DAY).toISOString() })).status, 201);
    await page.getByRole('link', { name: 'Tokens' }).click();
    await row(page, 'expires-soon').locator('.expiry.soon', { hasText: 'in 2 days' }).or(
      row(page, 'expires-soon').locator('.expiry.soon', { hasText: 'in 3 days' })).waitFor();
    assert.equal(await row(page, 'expires-later').locator('.expiry.soon, .expiry.passed').count(), 0);
    await shot(page, 'desktop-tokens');

    // five days on, in a browser context of its own with a fake clock (a clock is per context): the
    // first has expired, the second is not yet close
    const laterContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const later = await laterContext.newPage();
    watch(later);
    await later.clock.install({ time: new Date(now + 5 * DAY) });
    await signIn(later);
    await later.getByRole('link', { name: 'Tokens' }).click();
    await row(later, 'expires-soon').locator('.expiry.passed', { hasText: 'expired' }).waitFor();
    await row(later, 'expires-soon').getByText('Expired', { exact: true }).waitFor();
    assert.equal(await row(later, 'expires-later').locator('.expiry.soon, .expiry.passed').count(), 0);
    await shot(later, 'desktop-tokens-five-days-later');
    await laterContext.close();
  });

  test('the audit view lists events and adds new ones live', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await row(page, 'console-bot').first().waitFor();
    assert.equal((await admin('POST', '/tokens', { name: 'audit-live' })).status, 201);
    await page.locator('#audit-view tr.fresh', { hasText: 'audit-live' }).waitFor();
    await page.getByLabel('Object type').selectOption('definition');
    await row(page, 'audit-live').waitFor({ state: 'detached' }); // the filter hides token events
    await row(page, 'orders/{id}/echo').first().waitFor();
    assert.equal(await page.locator('#audit-view tbody tr', { hasText: 'token' }).count(), 0, 'only definition events are listed');
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, 'desktop-audit');
    await page.getByLabel('Object type').selectOption('');
  });

  test('works at a 390-px phone width: every view fits without sideways scrolling of the page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const view of ['tokens', 'apis', 'tester', 'audit']) {
      await page.goto(`${BASE}/admin/#${view}`);
      await page.locator(`#${view}-view`).waitFor();
      await page.locator(view === 'tester' ? '#tester-view select option' : `#${view}-view tbody tr`).first().waitFor({ state: 'attached' });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${view}: the page is ${width} px wide at 390 px`);
      assert.deepEqual(await unlabelledControls(page), []);
      await shot(page, `phone-${view}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('raised no script error and no CSP violation in any view', () => {
    assert.deepEqual(pageErrors, []);
  });
});
