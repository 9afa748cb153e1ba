// The management API (docs/api.md) as the console uses it. Credentials are HTTP Basic, kept for the life of
// the browser tab (sessionStorage), never in localStorage or a cookie.

const KEY = 'udapi.console.credentials';

/** An error answer of the management API: the HTTP status and its `errors` array. */
export class ApiError extends Error {
  constructor(status, problems) {
    super(problems.map((p) => p.message).join(' ') || `HTTP ${status}`);
    this.status = status;
    this.problems = problems;
  }

  has(reason) {
    return this.problems.some((p) => p.reason === reason);
  }
}

export class Api {
  constructor(authorization) {
    this.authorization = authorization;
  }

  static basic(user, password) {
    const bytes = new TextEncoder().encode(`${user}:${password}`);
    return new Api(`Basic ${btoa(String.fromCharCode(...bytes))}`);
  }

  static restore() {
    const saved = sessionStorage.getItem(KEY);
    return saved ? new Api(saved) : null;
  }

  remember() {
    sessionStorage.setItem(KEY, this.authorization);
  }

  static forget() {
    sessionStorage.removeItem(KEY);
  }

  async request(method, path, body, extraHeaders = {}) {
    // X-Requested-With: a 401 then comes without the Basic challenge that makes browsers prompt
    const headers = { Authorization: this.authorization, Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest', ...extraHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`/admin/v1${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return null;
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: reported below */ }
    if (!response.ok) {
      const problems = json?.errors ?? [{ reason: 'Http' + response.status, message: text || response.statusText }];
      throw new ApiError(response.status, problems);
    }
    return json;
  }

  get(path, query) {
    return this.request('GET', query ? `${path}?${new URLSearchParams(clean(query))}` : path);
  }

  post(path, body) { return this.request('POST', path, body); }

  /** A merge patch that only applies to the version the user saw (412 VersionMismatch otherwise). */
  patch(path, body, version) {
    return this.request('PATCH', path, body, version === undefined ? {} : { 'If-Match': `"${version}"` });
  }

  delete(path) { return this.request('DELETE', path); }

  /**
   * Saves what a GET answers as a file: fetched with this tab's credentials (a plain link could not send
   * them), then handed to the browser as a Blob download.
   */
  async download(path, query, filename) {
    const url = `/admin/v1${path}${query ? `?${new URLSearchParams(clean(query))}` : ''}`;
    const response = await fetch(url, { headers: { Authorization: this.authorization, Accept: 'application/json',
      'X-Requested-With': 'XMLHttpRequest' } });
    if (!response.ok) {
      const text = await response.text();
      let problems;
      try { problems = JSON.parse(text).errors; } catch { /* not JSON */ }
      throw new ApiError(response.status, problems ?? [{ reason: 'Http' + response.status, message: text || response.statusText }]);
    }
    const href = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = href;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
  }

  /** Every item of a list endpoint, page by page (the API answers at most 1000 per page). */
  async all(path, query = {}) {
    const items = [];
    for (let page = 0; ; page++) {
      const answer = await this.get(path, { ...query, page, size: 1000 });
      items.push(...answer.items);
      if (answer.items.length < 1000 || items.length >= answer.total) return items;
    }
  }
}

function clean(query) {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}
