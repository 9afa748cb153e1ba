// The console's entry point: sign-in, the views behind the tabs (#dashboard, #tokens, #apis, #tester, #audit,
// #users), and
// the live event stream that keeps every view current when objects change elsewhere (curl, another
// admin, another instance through the shared store).
import { Api, ApiError } from './api.js';
import { problemText, toast } from './dom.js';
import { LiveEvents } from './live.js';
import { apisView } from './views/apis.js';
import { auditView } from './views/audit.js';
import { dashboardView } from './views/dashboard.js';
import { testerView } from './views/tester.js';
import { tokensView } from './views/tokens.js';
import { usersView } from './views/users.js';

const $ = (id) => document.getElementById(id);
const VIEWS = { dashboard: 'events.read', tokens: 'tokens.read', apis: 'definitions.read', tester: 'definitions.read', audit: 'events.read', users: 'users.manage' };

let session = null;

async function signIn(api) {
  const me = await api.get('/me');
  api.remember();
  session = start(api, me);
  $('sign-in-view').hidden = true;
  $('nav').hidden = false;
  $('who').hidden = false;
  $('user-name').textContent = me.name;
  for (const link of document.querySelectorAll('#nav a')) link.hidden = !session.ctx.can(VIEWS[link.dataset.view]);
  route();
}

function start(api, me) {
  const names = new Map();
  const timers = {};
  const ctx = {
    api,
    can: (permission) => me.permissions.includes(permission),
    navigate: (hash) => { location.hash = hash; },
    debounce: (key, f) => { clearTimeout(timers[key]); timers[key] = setTimeout(f, 150); },
    /** Token names for the given ids, fetched once each and forgotten when the token changes. */
    tokenNames: async (ids) => {
      await Promise.all([...new Set(ids)].filter((id) => !names.has(id)).map((id) =>
        api.get(`/tokens/${id}`).then((t) => names.set(id, t.name), () => names.set(id, `${id.slice(0, 8)}… (deleted)`))));
    },
    tokenNameOf: (id) => names.get(id) ?? id,
    rememberTokenName: (t) => names.set(t.id, t.name),
    createToken: () => views.tokens.create(),
  };
  // the first view a user may read is where the console opens: the dashboard for a user with events.read
  const views = {};
  if (ctx.can('events.read')) views.dashboard = dashboardView(ctx);
  if (ctx.can('tokens.read')) views.tokens = tokensView(ctx);
  if (ctx.can('definitions.read')) { views.apis = apisView(ctx); views.tester = testerView(ctx); }
  if (ctx.can('events.read')) views.audit = auditView(ctx);
  if (ctx.can('users.manage')) views.users = usersView(ctx);
  const live = ctx.can('events.read') ? new LiveEvents(api, (event) => {
    if (event.objectType === 'token') names.delete(event.objectId);
    for (const view of Object.values(views)) if (view.element.isConnected) view.onEvent(event);
  }, (state) => {
    const badge = $('live-state');
    badge.textContent = state;
    badge.dataset.state = state;
  }).start() : null;
  return { ctx, views, stop: () => live?.stop() };
}

async function route() {
  if (!session) return;
  const [name, arg] = location.hash.replace(/^#/, '').split('/');
  const available = Object.keys(session.views);
  const key = available.includes(name) ? name : available[0];
  if (!key) {
    $('view').textContent = 'This user has no permission to read tokens, APIs, events or users.';
    return;
  }
  const view = session.views[key];
  // a view that polls (the dashboard) stops when another one is shown
  if (session.current && session.current !== view) session.current.leave?.();
  session.current = view;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === key) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  $('view').replaceChildren(view.element);
  try {
    if (arg && key === 'apis') await view.focus(arg);
    else if (arg && key === 'tester') await view.select(arg);
    else await view.refresh();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) signOut('Your session is no longer valid: sign in again.');
    else toast(problemText(e), 'error');
  }
}

function signOut(message) {
  session?.current?.leave?.();
  session?.stop();
  session = null;
  Api.forget();
  $('view').replaceChildren();
  $('nav').hidden = true;
  $('who').hidden = true;
  $('sign-in-view').hidden = false;
  const error = $('sign-in-error');
  error.hidden = !message;
  error.textContent = message ?? '';
}

$('sign-in-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  try {
    await signIn(Api.basic(form.get('user'), form.get('password')));
    e.target.reset();
  } catch (err) {
    signOut(err instanceof ApiError && err.status === 401 ? 'Wrong user name or password.' : problemText(err));
  }
});
$('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);

const saved = Api.restore();
if (saved) signIn(saved).catch(() => signOut());
