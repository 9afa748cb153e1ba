// Browser tests of the web console at /admin/: Playwright (playwright-core) driving Debian's Chromium,
// against a real udapi process started by ConsoleBrowserIT (real HTTP, real store, real scripts).
// Run through ./mvnw verify; by hand: UDAPI_URL=http://127.0.0.1:8080 UDAPI_ADMIN_PASSWORD=... node --test console.test.mjs
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { checkRoute, checkSourceRange } from '../../main/resources/META-INF/resources/admin/js/rules.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

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
// A suffix for every name the suite creates, so that it can run again against the same service and store
const S = Date.now().toString(36).slice(-6);

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

/** Opens the row's action menu with the mouse and picks an item. */
async function menuAction(p, rowText, item) {
  await p.getByRole('button', { name: `Actions for ${rowText}`, exact: true }).click();
  await p.getByRole('menu').getByRole('menuitem', { name: item, exact: true }).click();
}

/**
 * The page fits its width: no sideways scrolling of the page, and (with `buttons`) every visible button
 * lies wholly inside the viewport, so no control is clipped by a table's scroll box or the window.
 */
async function assertFits(p, where, { buttons = true } = {}) {
  const found = await p.evaluate(() => {
    const outside = [...document.querySelectorAll('button')].filter((b) => b.checkVisibility())
      .map((b) => ({ b, r: b.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.left < 0 || r.right > innerWidth + 0.5))
      .map(({ b, r }) => `${b.getAttribute('aria-label') ?? b.textContent} at ${Math.round(r.left)}..${Math.round(r.right)}`);
    // the view links must all be on screen at every width, not scrolled off the edge of the bar
    const navOutside = [...document.querySelectorAll('.bar nav a')].filter((a) => a.checkVisibility())
      .map((a) => ({ a, r: a.getBoundingClientRect() }))
      .filter(({ r }) => r.left < 0 || r.right > innerWidth + 0.5)
      .map(({ a, r }) => `${a.textContent} at ${Math.round(r.left)}..${Math.round(r.right)}`);
    return { scroll: document.documentElement.scrollWidth, width: innerWidth, outside, navOutside };
  });
  assert.ok(found.scroll <= found.width, `${where}: the page is ${found.scroll} px wide at ${found.width} px`);
  assert.deepEqual(found.navOutside, [], `${where}: view links outside the ${found.width}-px viewport`);
  if (buttons) assert.deepEqual(found.outside, [], `${where}: buttons outside the ${found.width}-px viewport`);
}

/** The tester's answer for one secret, read from the page: [status, error code]. */
async function trigger(p, definitionId, secretValue) {
  await p.goto(`${BASE}/admin/#tester/${definitionId}`);
  await p.getByLabel('API').locator(`option[value="${definitionId}"]:checked`).waitFor({ state: 'attached' });
  await p.getByLabel('Secret', { exact: true }).fill(secretValue);
  await p.getByLabel('Body').fill('{"a":1}');
  await p.locator('#tester-status').evaluate((e) => e.remove()).catch(() => {});
  await p.getByRole('button', { name: 'Send' }).click();
  const status = (await p.locator('#tester-status').textContent()).split(' ')[0];
  return [status, await p.locator('#tester-error-code').textContent()];
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
    await form.getByLabel('Name', { exact: true }).fill(`console-bot-${S}`);
    assert.equal(await form.getByLabel('Requests').inputValue(), '60', 'default rate limit: 60 per minute');
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, 'desktop-token-create');
    await form.getByRole('button', { name: 'Generate' }).click();

    const dialog = page.getByRole('dialog', { name: `Secret of console-bot-${S}` });
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
    await row(page, `console-bot-${S}`).getByText('60 / 1m').waitFor();
    const stored = await tokenNamed(`console-bot-${S}`);
    assert.deepEqual(stored.rateLimit, { limit: 60, window: 'PT1M' });
  });

  test('shows the server refusal in the form and keeps the input when a name is taken', async () => {
    await page.getByRole('button', { name: 'New token' }).click();
    const form = page.getByRole('dialog', { name: 'New token' });
    await form.getByLabel('Name', { exact: true }).fill(`CONSOLE-bot-${S}`);
    await form.getByRole('button', { name: 'Generate' }).click();
    await form.getByRole('alert').filter({ hasText: `CONSOLE-bot-${S}` }).waitFor();
    assert.equal(await form.getByLabel('Name', { exact: true }).inputValue(), `CONSOLE-bot-${S}`);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });
  });

  test('checks the route while it is typed, with the same verdicts as the server', async () => {
    await page.getByRole('link', { name: 'APIs' }).click();
    await page.getByRole('button', { name: 'New API' }).click();
    const form = page.getByRole('dialog', { name: 'New API' });
    await form.getByLabel('Route', { exact: true }).fill(`orders-${S}/{id`);
    await form.locator('.route-check.bad', { hasText: 'a placeholder fills a whole segment' }).waitFor();
    await form.getByLabel('Route', { exact: true }).fill(`orders-${S}/{id}/echo`);
    await form.locator('.route-check.ok', { hasText: 'Placeholders: id' }).waitFor();
    await form.locator('.route-check.ok', { hasText: `${BASE}/api/custom/orders-${S}/{id}/echo` }).waitFor();

    const token = await tokenNamed(`console-bot-${S}`);
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
    await form.getByRole('checkbox', { name: `console-bot-${S}` }).check();
    // the shortcut creates a token on top of this form and checks it
    await form.getByRole('button', { name: 'New token…' }).click();
    const tokenForm = page.getByRole('dialog', { name: 'New token' });
    await tokenForm.getByLabel('Name', { exact: true }).fill(`shortcut-bot-${S}`);
    await tokenForm.getByRole('button', { name: 'Generate' }).click();
    const secretDialog = page.getByRole('dialog', { name: `Secret of shortcut-bot-${S}` });
    await secretDialog.getByLabel('I have saved the secret').check();
    await secretDialog.getByRole('button', { name: 'Done' }).click();
    assert.ok(await form.getByRole('checkbox', { name: `shortcut-bot-${S}` }).isChecked());
    assert.ok(await form.getByRole('checkbox', { name: `console-bot-${S}` }).isChecked(), 'the earlier choice is kept');
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, 'desktop-api-create');
    await form.getByRole('button', { name: 'Create' }).click();
    await form.waitFor({ state: 'detached' });
    const apiRow = row(page, `orders-${S}/{id}/echo`);
    await apiRow.getByText(`${BASE}/api/custom/orders-${S}/{id}/echo`).waitFor();
    await apiRow.getByText(`console-bot-${S}`).waitFor();
    await apiRow.getByText(`shortcut-bot-${S}`).waitFor();
    await apiRow.getByRole('button', { name: 'Copy URL' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${BASE}/api/custom/orders-${S}/{id}/echo`);
  });

  test('triggers the API from the tester through /api/custom and shows 200 with the pretty body', async () => {
    await row(page, `orders-${S}/{id}/echo`).getByRole('button', { name: 'Test' }).click();
    await page.getByLabel('API').locator('option:checked', { hasText: `orders-${S}/{id}/echo` }).waitFor({ state: 'attached' });
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
    await menuAction(page, `console-bot-${S}`, 'Disable');
    await row(page, `console-bot-${S}`).getByText('Disabled', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Trigger tester' }).click();
    await page.getByLabel('Secret', { exact: true }).fill(secret);
    await page.getByLabel('Route parameter id').fill('42');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#tester-status', { hasText: '401' }).waitFor();
    assert.equal(await page.locator('#tester-error-code').textContent(), '1010');
  });

  test('shows tokens created elsewhere live, and bulk revoke keeps the in-use token with links to its APIs', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await row(page, `console-bot-${S}`).waitFor();
    const spare = await admin('POST', '/tokens', { name: `spare-token-${S}` });
    assert.equal(spare.status, 201);
    await row(page, `spare-token-${S}`).waitFor(); // no reload: the event stream refreshed the table
    await row(page, `console-bot-${S}`).getByRole('checkbox').check();
    await row(page, `spare-token-${S}`).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Revoke selected (2)' }).click();
    await page.getByRole('dialog', { name: 'Revoke 2 tokens?' }).getByRole('button', { name: 'Revoke' }).click();
    const result = page.getByRole('dialog', { name: 'Revoke result' });
    await result.locator('li[data-status="deleted"]', { hasText: `spare-token-${S}` }).waitFor();
    const kept = result.locator('li[data-status="inUse"]', { hasText: `console-bot-${S}` });
    await kept.getByText('kept, because it is in use').waitFor();
    await shot(page, 'desktop-revoke-result');
    assert.equal((await admin('GET', `/tokens/${spare.json.id}`)).status, 404, 'the unused token is gone');
    assert.ok(await tokenNamed(`console-bot-${S}`), 'the token in use is kept');
    await kept.getByRole('link', { name: `orders-${S}/{id}/echo` }).click();
    await page.locator('#apis-view tr.focused', { hasText: `orders-${S}/{id}/echo` }).waitFor();
  });

  test('highlights an expiry within seven days and one that has passed', async () => {
    const now = Date.now();
    assert.equal((await admin('POST', '/tokens', { name: `expires-soon-${S}`, expiresAt: new Date(now + 3 * DAY).toISOString() })).status, 201);
    assert.equal((await admin('POST', '/tokens', { name: `expires-later-${S}`, expiresAt: new Date(now + 60 * DAY).toISOString() })).status, 201);
    await page.getByRole('link', { name: 'Tokens' }).click();
    await row(page, `expires-soon-${S}`).locator('.expiry.soon', { hasText: 'in 2 days' }).or(
      row(page, `expires-soon-${S}`).locator('.expiry.soon', { hasText: 'in 3 days' })).waitFor();
    assert.equal(await row(page, `expires-later-${S}`).locator('.expiry.soon, .expiry.passed').count(), 0);
    await shot(page, 'desktop-tokens');

    // five days on, in a browser context of its own with a fake clock (a clock is per context): the
    // first has expired, the second is not yet close
    const laterContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const later = await laterContext.newPage();
    watch(later);
    await later.clock.install({ time: new Date(now + 5 * DAY) });
    await signIn(later);
    await later.getByRole('link', { name: 'Tokens' }).click();
    await row(later, `expires-soon-${S}`).locator('.expiry.passed', { hasText: 'expired' }).waitFor();
    await row(later, `expires-soon-${S}`).getByText('Expired', { exact: true }).waitFor();
    assert.equal(await row(later, `expires-later-${S}`).locator('.expiry.soon, .expiry.passed').count(), 0);
    await shot(later, 'desktop-tokens-five-days-later');
    await laterContext.close();
  });

  test('the audit view lists events and adds new ones live', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await row(page, `console-bot-${S}`).first().waitFor();
    assert.equal((await admin('POST', '/tokens', { name: `audit-live-${S}` })).status, 201);
    await page.locator('#audit-view tr.fresh', { hasText: `audit-live-${S}` }).waitFor();
    await page.getByLabel('Object type').selectOption('definition');
    await row(page, `audit-live-${S}`).waitFor({ state: 'detached' }); // the filter hides token events
    await row(page, `orders-${S}/{id}/echo`).first().waitFor();
    assert.equal(await page.locator('#audit-view tbody tr', { hasText: 'token' }).count(), 0, 'only definition events are listed');
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, 'desktop-audit');
    await page.getByLabel('Object type').selectOption('');
  });

  test('row actions sit in a keyboard-operable menu; ids are shortened with a Copy id button', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    const name = `console-bot-${S}`;
    const token = await tokenNamed(name);
    const r = row(page, name);
    await r.locator('code', { hasText: token.id.slice(0, 8) }).waitFor();
    assert.equal(await r.locator('code').first().textContent(), token.id.slice(0, 8), 'the id is shown by its first 8 characters');
    await r.getByRole('button', { name: 'Copy id' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token.id, 'Copy id copies the whole id');

    const menuButton = r.getByRole('button', { name: `Actions for ${name}` });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: `Actions for ${name}` });
    await menu.waitFor();
    assert.equal(await menuButton.getAttribute('aria-expanded'), 'true');
    const focused = () => page.evaluate(() => document.activeElement.textContent);
    assert.equal(await focused(), 'Enable', 'Enter opens the menu on its first item');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'Rotate secret');
    await page.keyboard.press('End');
    assert.equal(await focused(), 'Delete');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'Enable', 'the arrows wrap around');
    await shot(page, 'desktop-token-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    assert.ok(await menuButton.evaluate((b) => b === document.activeElement), 'Escape gives focus back to the menu button');
    await page.keyboard.press(' ');
    await menu.waitFor();
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'Delete', 'Space opens it too; ArrowUp moves to the last item');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
  });

  test('focus returns to the control that opened a dialog when the dialog closes', async () => {
    const name = `console-bot-${S}`;
    const newToken = page.getByRole('button', { name: 'New token' });
    await newToken.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'New token' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'New token' }).waitFor({ state: 'detached' });
    assert.ok(await newToken.evaluate((b) => b === document.activeElement), 'back on New token after Escape');

    // from a row menu: the dialog opened by a menu item gives focus back to that row's menu button
    const menuButton = row(page, name).getByRole('button', { name: `Actions for ${name}` });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp'); // Edit
    await page.keyboard.press('Enter');
    const edit = page.getByRole('dialog', { name: `Edit ${name}` });
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'detached' });
    assert.ok(await menuButton.evaluate((b) => b === document.activeElement), 'back on the menu button after Cancel');

    // a save re-renders the table; focus goes to the new row's menu button
    await menuButton.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await page.waitForFunction((n) => document.activeElement?.getAttribute('aria-label') === `Actions for ${n}`, name);
  });

  test('source ranges: checked per line while typed, saved on create and edit', async () => {
    const name = `ranges-${S}`;
    await page.getByRole('button', { name: 'New token' }).click();
    const form = page.getByRole('dialog', { name: 'New token' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    const ranges = form.getByLabel('Allowed source ranges (optional)');
    await form.locator('.range-check.ok', { hasText: 'Any address' }).waitFor();
    await ranges.fill('10.0.0.0/8\n10.1.2.3/8\n\nfe80::1%eth0');
    await form.locator('.range-check.bad', { hasText: "Line 2: '10.1.2.3/8' has host bits set after the /8 prefix; write the network 10.0.0.0/8" }).waitFor();
    await form.locator('.range-check.bad', { hasText: "Line 4: 'fe80::1%eth0' has a zone id" }).waitFor();
    await shot(page, 'desktop-token-ranges');
    await ranges.fill('10.0.0.0/8\n2001:DB8::/32\n192.0.2.1');
    await form.locator('.range-check.ok', { hasText: '3 blocks' }).waitFor();
    await form.getByRole('button', { name: 'Generate' }).click();
    const secretDialog = page.getByRole('dialog', { name: `Secret of ${name}` });
    await secretDialog.getByLabel('I have saved the secret').check();
    await secretDialog.getByRole('button', { name: 'Done' }).click();
    assert.deepEqual((await tokenNamed(name)).allowedSourceRanges, ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1/32']);

    await menuAction(page, name, 'Edit');
    const edit = page.getByRole('dialog', { name: `Edit ${name}` });
    assert.equal(await edit.getByLabel('Allowed source ranges (optional)').inputValue(), '10.0.0.0/8\n2001:db8::/32\n192.0.2.1/32');
    await edit.getByLabel('Allowed source ranges (optional)').fill('198.51.100.0/24');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    assert.deepEqual((await tokenNamed(name)).allowedSourceRanges, ['198.51.100.0/24']);
    await menuAction(page, name, 'Edit');
    await edit.getByLabel('Allowed source ranges (optional)').fill('');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    assert.equal((await tokenNamed(name)).allowedSourceRanges, null, 'an empty field removes the limit');
  });

  test('the console checks source ranges with the same verdicts as the server', async () => {
    const token = (await admin('POST', '/tokens', { name: `range-rules-${S}` })).json;
    const inputs = ['10.0.0.0/8', '10.1.2.3/8', '192.0.2.1', '192.0.2.1/32', '0.0.0.0/0', '255.255.255.255', '2001:db8::/32',
      '2001:DB8::1', '2001:db8::1/64', '::/0', '::', '::1', '1::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::',
      '::1.2.3.4', '::ffff:10.0.0.0/104', '::ffff:1.2.3.4', '::ffff:0:0/95', '::ffff:0:0/80', 'fe80::1%eth0', '010.0.0.1',
      '10.0.0.0/08', '10.0.0.0/+8', '10.0.0.0/', '10.0.0', '10.0.0.256', 'example.com', '[::1]', '192.0.2.1:80', ' 10.0.0.0/8',
      '10.0.0.0/8 ', '10.0.0.0/33', '::/129', '1:::2', ':1::', '1::2::3', '12345::', 'g::1', '١٠.0.0.1', '0:0:0:0:0:0:0:0/0',
      '2001:db8:0:0:1:0:0:1'];
    for (const input of inputs) {
      const local = checkSourceRange(input);
      const { status, json } = await admin('PATCH', `/tokens/${token.id}`, { allowedSourceRanges: [input] });
      if (local.ok) {
        assert.equal(status, 200, `console accepts ${JSON.stringify(input)}, so must the server: ${JSON.stringify(json)}`);
        assert.deepEqual(json.allowedSourceRanges, [local.canonical], `same canonical form of ${JSON.stringify(input)}`);
      } else {
        assert.equal(status, 400, `console refuses ${JSON.stringify(input)} (${local.problem}), so must the server`);
        assert.equal(json.errors[0].reason, 'InvalidSourceRange');
        assert.ok(json.errors[0].message.includes(local.problem),
          `same words for ${JSON.stringify(input)}: server says ${json.errors[0].message}, console ${local.problem}`);
      }
    }
  });

  test('rotation with an overlap: both secrets work until End overlap, then the old one gets 401/1010', async () => {
    const name = `rotate-${S}`;
    const created = (await admin('POST', '/tokens', { name })).json;
    const oldSecret = created.secret;
    const definition = (await admin('POST', '/definitions',
      { route: `rotate-${S}/echo`, actionMeta: { scriptName: 'echo' }, allowedTokens: [created.id] })).json;
    await page.goto(`${BASE}/admin/#tokens`);
    await menuAction(page, name, 'Rotate secret');
    const dialog = page.getByRole('dialog', { name: `Rotate the secret of ${name}` });
    await dialog.getByLabel('1 hour').check();
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, 'desktop-token-rotate');
    await dialog.getByRole('button', { name: 'Rotate' }).click();
    const secretDialog = page.getByRole('dialog', { name: `Secret of ${name}` });
    const newSecret = await secretDialog.getByLabel('Secret', { exact: true }).inputValue();
    assert.notEqual(newSecret, oldSecret);
    await secretDialog.getByLabel('I have saved the secret').check();
    await secretDialog.getByRole('button', { name: 'Done' }).click();
    await row(page, name).getByText('previous secret valid until').waitFor();
    const stored = await tokenNamed(name);
    const left = Date.parse(stored.previousSecretExpiresAt) - Date.now();
    assert.ok(left > 55 * 60_000 && left <= 3_600_000, `the overlap lasts an hour: ${stored.previousSecretExpiresAt}`);
    await assertFits(page, 'tokens with an overlap and source ranges at 1280 px');
    await shot(page, 'desktop-tokens-overlap');

    assert.deepEqual(await trigger(page, definition.id, oldSecret), ['200', '—'], 'the old secret works during the overlap');
    assert.deepEqual(await trigger(page, definition.id, newSecret), ['200', '—'], 'the new secret works');

    await page.goto(`${BASE}/admin/#tokens`);
    await menuAction(page, name, 'End overlap');
    await page.getByRole('dialog', { name: `End the overlap of ${name}?` }).getByRole('button', { name: 'End overlap' }).click();
    await row(page, name).getByText('previous secret valid until').waitFor({ state: 'detached' });
    assert.deepEqual(await trigger(page, definition.id, oldSecret), ['401', '1010'], 'the old secret stops at End overlap');
    assert.deepEqual(await trigger(page, definition.id, newSecret), ['200', '—'], 'the new one goes on');
  });

  test('downloads the OpenAPI document of all APIs and of one token', async () => {
    await page.goto(`${BASE}/admin/#apis`);
    await page.getByLabel('Filter by route').fill(S);
    await row(page, `rotate-${S}/echo`).waitFor();
    const read = async (click) => {
      const [download] = await Promise.all([page.waitForEvent('download'), click()]);
      return { name: download.suggestedFilename(), doc: JSON.parse(readFileSync(await download.path(), 'utf8')) };
    };
    const all = await read(() => page.getByRole('button', { name: 'Download OpenAPI (all APIs)' }).click());
    assert.equal(all.name, 'udapi-openapi.json');
    assert.match(all.doc.openapi, /^3\.1\.\d+$/);
    const paths = Object.keys(all.doc.paths);
    assert.ok(paths.some((p) => p.endsWith(`rotate-${S}/echo`)), `the document has the API's path: ${paths}`);
    assert.ok(paths.some((p) => p.endsWith(`orders-${S}/{id}/echo`)));

    await page.getByLabel('APIs of token').selectOption({ label: `rotate-${S}` });
    const one = await read(() => page.getByRole('button', { name: 'Download OpenAPI for this token' }).click());
    assert.equal(one.name, `udapi-openapi-rotate-${S}.json`);
    assert.match(one.doc.openapi, /^3\.1\.\d+$/);
    assert.deepEqual(Object.keys(one.doc.paths).filter((p) => p.includes(S)).map((p) => p.replace(/^.*custom\//, '')),
      [`rotate-${S}/echo`], 'only the APIs that token may call');
    await shot(page, 'desktop-apis');
  });

  let viewer;
  test('the users view creates a user with a generated password that signs in and sees only its views', async () => {
    viewer = { name: `viewer-${S}` };
    await page.getByRole('link', { name: 'Users' }).click();
    await page.locator(`#users-view tbody tr[data-id="${USER}"]`).waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const form = page.getByRole('dialog', { name: 'New user' });
    await form.getByLabel('User name').fill(viewer.name);
    await form.getByRole('checkbox', { name: /tokens\.read/ }).check();
    await form.getByRole('checkbox', { name: /definitions\.read/ }).check();
    assert.ok(await form.getByLabel('Generate a strong password (shown once after saving)').isChecked());
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, 'desktop-user-create');
    await form.getByRole('button', { name: 'Create user' }).click();
    const shown = page.getByRole('dialog', { name: `Password of ${viewer.name}` });
    viewer.password = await shown.getByLabel('Password', { exact: true }).inputValue();
    assert.match(viewer.password, /^[A-Za-z0-9]{24}$/);
    await shot(page, 'desktop-user-password');
    await shown.getByLabel('I have saved the password').check();
    await shown.getByRole('button', { name: 'Done' }).click();
    await row(page, viewer.name).getByText('definitions.read').waitFor();
    assert.ok(!(await page.content()).includes(viewer.password), 'the password is gone from the page');
    await shot(page, 'desktop-users');

    const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await other.newPage();
    watch(p);
    await p.goto(`${BASE}/admin/`);
    await p.getByLabel('User name').fill(viewer.name);
    await p.getByLabel('Password').fill(viewer.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.locator('#user-name', { hasText: viewer.name }).waitFor();
    const views = await p.locator('#nav a').evaluateAll((links) => links.filter((a) => a.checkVisibility()).map((a) => a.textContent));
    assert.deepEqual(views, ['Tokens', 'APIs', 'Trigger tester'], 'tokens.read and definitions.read: no Audit, no Users');
    await p.locator('#tokens-view').waitFor();
    assert.equal(await p.getByRole('button', { name: 'New token' }).count(), 0, 'no tokens.write: no New token');
    await p.locator('#tokens-view tbody tr').first().waitFor();
    assert.equal(await p.locator('#tokens-view .menu-button').count(), 0, 'no row actions without write or delete');
    assert.equal(await p.locator('#tokens-view th', { hasText: 'Actions' }).count(), 0, 'and no Actions column');
    await p.goto(`${BASE}/admin/#users`);
    await p.locator('#tokens-view').waitFor(); // a hidden view is not reachable by its address either

    // permissions taken away while signed in: the server's 403 is explained in plain words
    assert.equal((await admin('PATCH', `/users/${viewer.name}`, { permissions: ['definitions.read'] })).status, 200);
    await p.getByRole('link', { name: 'APIs' }).click();
    await p.locator('#apis-view').waitFor();
    await p.getByRole('link', { name: 'Tokens' }).click();
    await p.locator('#toast.error', { hasText: 'Not allowed' }).waitFor();
    const text = await p.locator('#toast').textContent();
    assert.match(text, /lacks the permission tokens\.read/);
    assert.match(text, /Sign in again to see the views you may use/);
    await shot(p, 'desktop-forbidden');
    await other.close();
  });

  test('the last user who may manage users cannot be deleted, and the console says why', async () => {
    await page.goto(`${BASE}/admin/#users`);
    await menuAction(page, USER, 'Delete');
    await page.getByRole('dialog', { name: `Delete ${USER}?` }).getByRole('button', { name: 'Delete' }).click();
    const refused = page.getByRole('dialog', { name: 'Not deleted' });
    await refused.getByText('it is the last user allowed to manage users').waitFor();
    await shot(page, 'desktop-user-last-manager');
    await refused.getByRole('button', { name: 'Close' }).click();
    assert.equal((await admin('GET', `/users/${USER}`)).status, 200);
    // a user without users.manage is deleted at once
    await menuAction(page, viewer.name, 'Delete');
    await page.getByRole('dialog', { name: `Delete ${viewer.name}?` }).getByRole('button', { name: 'Delete' }).click();
    await row(page, viewer.name).waitFor({ state: 'detached' });
    assert.equal((await admin('GET', `/users/${viewer.name}`)).status, 404);
  });

  // The dashboard's numbers as the page shows them, read in one go: the totals (ids dash-total-*), the rows
  // of the top lists (data-id, data-outcome, data-value), and the per-minute table behind the outcome chart.
  function dashboardNumbers(p) {
    return p.evaluate(() => {
      const view = document.getElementById('dashboard-view');
      const totals = Object.fromEntries([...document.querySelectorAll('#dash-totals dd')]
        .map((dd) => [dd.id.replace('dash-total-', ''), Number(dd.dataset.value)]));
      const rowsOf = (id) => Object.fromEntries([...document.querySelectorAll(`#${id} tbody tr[data-id]`)].map((tr) => [tr.dataset.id,
        Object.fromEntries([...tr.querySelectorAll('td[data-outcome]')].map((td) => [td.dataset.outcome, Number(td.dataset.value)]))]));
      const minutes = [...document.querySelectorAll('#dash-outcomes-table tbody tr')].map((tr) => ({
        at: tr.dataset.at, ...Object.fromEntries([...tr.querySelectorAll('td[data-outcome]')].map((td) => [td.dataset.outcome, Number(td.textContent)])) }));
      return { from: view.dataset.from, totals, apis: rowsOf('dash-apis'), tokens: rowsOf('dash-tokens'), leaders: rowsOf('dash-leaders'), minutes };
    });
  }

  /** One trigger of /api/custom/<route> with a token's secret, sent from here (not the page): its status. */
  async function send(route, secretValue, contentType = 'application/json') {
    const response = await fetch(`${BASE}/api/custom/${route}`, { method: 'POST',
      headers: { Authorization: `Bearer ${secretValue}`, 'Content-Type': contentType }, body: '{"a":1}' });
    await response.arrayBuffer();
    return response.status;
  }

  test('the dashboard shows the triggers sent, by outcome, per API and per token, with the 429 leaders', async () => {
    const roomy = (await admin('POST', '/tokens', { name: `dash-roomy-${S}` })).json;
    const tight = (await admin('POST', '/tokens', { name: `dash-tight-${S}`, rateLimit: { limit: 1, window: 'PT1H' } })).json;
    const echo = await admin('POST', '/definitions', { route: `dash-${S}/echo`, actionMeta: { scriptName: 'echo' },
      allowedTokens: [roomy.id, tight.id] });
    const broken = await admin('POST', '/definitions', { route: `dash-${S}/broken`, actionMeta: { scriptName: `missing-${S}` },
      allowedTokens: [roomy.id] });
    assert.equal(echo.status, 201);
    assert.equal(broken.status, 201);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${BASE}/admin/`);
    // with events.read the console opens on the dashboard
    await page.locator('#nav a[data-view="dashboard"][aria-current="page"]').waitFor();
    await page.locator('#dashboard-view[data-refreshes]').waitFor();
    const before = await dashboardNumbers(page);

    const N = 5; const M = 3; const K = 2; const E = 1;
    for (let i = 0; i < N; i++) assert.equal(await send(`dash-${S}/echo`, roomy.secret), 200);
    assert.equal(await send(`dash-${S}/echo`, tight.secret), 200, 'the tight token\'s one admission');
    for (let i = 0; i < M; i++) assert.equal(await send(`dash-${S}/echo`, tight.secret), 429);
    // a 415 is refused after admission: counted as admitted and as rejected (docs/api.md)
    for (let i = 0; i < K; i++) assert.equal(await send(`dash-${S}/echo`, roomy.secret, 'application/octet-stream'), 415);
    // a definition naming a script that does not exist: 500 after admission, admitted and an error
    for (let i = 0; i < E; i++) assert.equal(await send(`dash-${S}/broken`, roomy.secret), 500);

    const expectApi = { admitted: N + 1 + K, rateLimited: M, rejected: K, errors: 0, total: N + 1 + M + K + K };
    // the page refreshes itself: wait, without reloading, until its row for the API shows the last trigger
    const echoRow = page.locator(`#dash-apis tr[data-id="${echo.json.id}"]`);
    await echoRow.locator(`td[data-outcome="total"][data-value="${expectApi.total}"]`).waitFor();
    await page.locator(`#dash-apis tr[data-id="${broken.json.id}"] td[data-outcome="errors"][data-value="${E}"]`).waitFor();
    await page.locator(`#dash-tokens tr[data-id="${roomy.id}"] td[data-outcome="errors"][data-value="${E}"]`).waitFor();
    const after = await dashboardNumbers(page);

    assert.deepEqual(after.apis[echo.json.id], expectApi);
    assert.deepEqual(after.apis[broken.json.id], { admitted: E, rateLimited: 0, rejected: 0, errors: E, total: 2 * E });
    assert.deepEqual(after.tokens[roomy.id], { admitted: N + K + E, rateLimited: 0, rejected: K, errors: E, total: N + 2 * K + 2 * E });
    assert.deepEqual(after.tokens[tight.id], { admitted: 1, rateLimited: M, rejected: 0, errors: 0, total: 1 + M });
    assert.deepEqual(after.leaders[tight.id], { rateLimited: M });
    assert.ok(!(roomy.id in after.leaders), 'a token never rate-limited is no 429 leader');

    // the instance totals grew by exactly what was sent; a minute that left the hour meanwhile is taken
    // out of the earlier reading
    const sent = { admitted: N + 1 + K + E, rateLimited: M, rejected: K, errors: E };
    const dropped = before.minutes.filter((m) => m.at < after.from);
    for (const [key, n] of Object.entries(sent)) {
      const gone = dropped.reduce((s, m) => s + m[key], 0);
      assert.equal(after.totals[key] - (before.totals[key] - gone), n, `the ${key} total grew by the ${n} sent`);
    }
    assert.equal(after.totals.answers, after.totals.admitted + after.totals.rateLimited + after.totals.rejected + after.totals.errors);
    // the totals the page shows as text are the same numbers
    assert.equal(await page.locator('#dash-total-rateLimited').textContent(), after.totals.rateLimited.toLocaleString('en'));

    // the charts are uPlot canvases, hidden from assistive technology, each with a text alternative
    assert.equal(await page.locator('#dashboard-view .chart canvas').count() >= 2, true);
    assert.match(await page.locator('#dash-outcomes-table caption').textContent(), new RegExp(`${after.totals.rateLimited} rate-limited`));
    assert.ok(await page.locator('#dash-latency-table tbody tr').count() >= 1, 'a latency row for the minute with admissions');
    const spark = echoRow.locator('[data-sparkline]');
    assert.equal(await spark.getAttribute('data-total'), String(expectApi.total));
    assert.equal(await spark.locator('canvas').count(), 1, 'the sparkline is drawn by uPlot');
    await assertFits(page, 'dashboard at 1280 px');
    await shot(page, 'desktop-dashboard');
  });

  test('the dashboard refreshes itself every 5 s while shown, and stops once another view is shown', async () => {
    // a context with Playwright's clock, so that time can be run forward instead of waited for
    const clockContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await clockContext.newPage();
    watch(p);
    await p.clock.install();
    await signIn(p);
    await p.locator('#dashboard-view[data-refreshes="1"]').waitFor();
    const next = p.waitForRequest((r) => r.url().includes('/admin/v1/stats'));
    await p.clock.runFor(5_000);
    await next;
    await p.locator('#dashboard-view[data-refreshes="2"]').waitFor();
    await p.getByRole('link', { name: 'Audit' }).click();
    await p.locator('#audit-view tbody tr').first().waitFor();
    const stats = [];
    p.on('request', (r) => { if (r.url().includes('/admin/v1/stats')) stats.push(r.url()); });
    await p.clock.runFor(60_000);
    await p.evaluate(() => new Promise((resolve) => { requestAnimationFrame(() => resolve()); }));
    assert.deepEqual(stats, [], 'no /stats request in a minute once the dashboard is left');
    await clockContext.close();
  });

  test('the tokens view shows when a token was last used and a sparkline of its last hour', async () => {
    const used = await tokenNamed(`dash-roomy-${S}`);
    assert.ok(used.lastUsedAt, 'this instance shows its own admissions at once');
    const unused = (await admin('POST', '/tokens', { name: `dash-unused-${S}` })).json;
    await page.goto(`${BASE}/admin/#tokens`);
    await page.getByLabel('Filter by name').fill(`dash-`);
    await row(page, `rotate-${S}`).waitFor({ state: 'detached' });
    const usedRow = row(page, `dash-roomy-${S}`);
    const when = usedRow.locator('.last-used time');
    await when.waitFor();
    assert.equal(await when.getAttribute('title'), used.lastUsedAt, 'the exact instant in the tooltip');
    assert.match(await when.textContent(), /^(just now|\d+ s ago|\d+ min ago)$/);
    assert.equal(await usedRow.locator('.last-used [data-sparkline]').getAttribute('data-total'), String(5 + 2 * 2 + 2 * 1));
    assert.equal(await usedRow.locator('.last-used [data-sparkline] canvas').count(), 1);
    const unusedRow = row(page, `dash-unused-${S}`);
    await unusedRow.locator('.last-used', { hasText: 'never' }).waitFor();
    assert.equal(await unusedRow.locator('.last-used [data-sparkline]').getAttribute('data-total'), '0');
    assert.equal(unused.lastUsedAt ?? null, null);
    await assertFits(page, 'tokens with last use at 1280 px');
    await shot(page, 'desktop-tokens-last-used');
    await page.getByLabel('Filter by name').fill('');
    await row(page, `rotate-${S}`).waitFor();
  });

  test('axe finds no serious or critical accessibility violation in any view or dialog', async () => {
    // a context of its own that bypasses the CSP, only so that the axe script can be injected
    const axeContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const p = await axeContext.newPage();
    await signIn(p);
    const report = [];
    const check = async (where) => {
      if (!await p.evaluate(() => 'axe' in window)) await p.addScriptTag({ path: AXE });
      const results = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const v of results.violations) report.push({ where, id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) });
    };
    for (const view of ['dashboard', 'tokens', 'apis', 'tester', 'audit', 'users']) {
      await p.goto(`${BASE}/admin/#${view}`);
      await p.locator(view === 'tester' ? '#tester-view select option' : `#${view}-view tbody tr`).first().waitFor({ state: 'attached' });
      await check(view);
    }
    await p.goto(`${BASE}/admin/#tokens`);
    await p.getByRole('button', { name: 'New token' }).click();
    await check('new-token dialog');
    await p.keyboard.press('Escape');
    await p.getByRole('button', { name: `Actions for rotate-${S}`, exact: true }).click();
    await check('token menu');
    await p.getByRole('menuitem', { name: 'Rotate secret' }).click();
    await check('rotate dialog');
    await p.keyboard.press('Escape');
    await p.goto(`${BASE}/admin/#users`);
    await p.getByRole('button', { name: 'New user' }).click();
    await check('new-user dialog');
    await p.keyboard.press('Escape');
    await p.goto(`${BASE}/admin/`);
    await check('sign-in');
    await axeContext.close();
    console.log(`axe violations (all impacts): ${JSON.stringify(report)}`);
    const serious = report.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious, [], 'no serious or critical violation');
  });

  test('at 1280 px every view fits: no sideways scrolling, every visible button inside the viewport', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const view of ['dashboard', 'tokens', 'apis', 'tester', 'audit', 'users']) {
      await page.goto(`${BASE}/admin/#${view}`);
      await page.locator(view === 'tester' ? '#tester-view select option' : `#${view}-view tbody tr`).first().waitFor({ state: 'attached' });
      await assertFits(page, `${view} at 1280 px`);
    }
    await page.goto(`${BASE}/admin/#tokens`);
    await row(page, `rotate-${S}`).waitFor();
    // one line per row: every line box of a row's text starts at (about) the same height
    const spreads = await page.locator('#tokens-view tbody tr').evaluateAll((rows) => rows.map((r) => {
      const tops = [];
      const walker = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const rect of range.getClientRects()) tops.push(rect.top);
      }
      return Math.round(Math.max(...tops) - Math.min(...tops));
    }));
    assert.ok(spreads.every((d) => d < 12), `token rows are one line each (spread of line tops in px: ${spreads})`);
    await page.getByRole('button', { name: 'New token' }).click();
    await assertFits(page, 'new-token dialog at 1280 px');
    await page.keyboard.press('Escape');
  });

  test('works at a 390-px phone width: every view fits without sideways scrolling of the page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const view of ['dashboard', 'tokens', 'apis', 'tester', 'audit', 'users']) {
      await page.goto(`${BASE}/admin/#${view}`);
      await page.locator(`#${view}-view`).waitFor();
      await page.locator(view === 'tester' ? '#tester-view select option' : `#${view}-view tbody tr`).first().waitFor({ state: 'attached' });
      await assertFits(page, `${view} at 390 px`, { buttons: false });
      assert.deepEqual(await unlabelledControls(page), []);
      await shot(page, `phone-${view}`);
    }
    await page.goto(`${BASE}/admin/#tokens`);
    await menuAction(page, `rotate-${S}`, 'Rotate secret');
    await assertFits(page, 'rotate dialog at 390 px', { buttons: false });
    await shot(page, 'phone-token-rotate');
    await page.keyboard.press('Escape');
    await page.goto(`${BASE}/admin/#users`);
    await page.getByRole('button', { name: 'New user' }).click();
    await assertFits(page, 'new-user dialog at 390 px', { buttons: false });
    await shot(page, 'phone-user-create');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('raised no script error and no CSP violation in any view', () => {
    assert.deepEqual(pageErrors, []);
  });
});
