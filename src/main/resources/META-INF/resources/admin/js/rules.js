// The input rules of docs/concepts.md that the console checks while the user types, in the same order and with the
// same words as the server (io.udapi.route.RouteRule and friends). The server still decides; the browser
// test feeds the same table of routes to both and expects the same verdicts. No DOM here, so Node can
// import this module too.

export const MAX_ROUTE_LENGTH = 200;

const RULES = {
  REQUIRED: 'a route is required',
  BLANK: 'a route must not be blank',
  TOO_LONG: `a route has at most ${MAX_ROUTE_LENGTH} characters`,
  FORBIDDEN_CHARACTER: 'a route contains none of ? # * : < > \\, whitespace or control characters',
  EDGE_SLASH: "a route neither starts nor ends with '/'",
  EMPTY_SEGMENT: "a route has no empty segments ('//')",
  PARTIAL_PLACEHOLDER: "a placeholder fills a whole segment, as in 'tickets/{id}/status'",
  PLACEHOLDER_NAME: 'a placeholder name matches [A-Za-z_][A-Za-z0-9_]*',
  DUPLICATE_PLACEHOLDER: 'placeholder names are unique within a route',
};

const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Java's isWhitespace, isSpaceChar and isISOControl together are exactly the separators and controls
const FORBIDDEN = /[?#*:<>\\\p{Z}\p{Cc}]/u;
// Java's String.isBlank: only isWhitespace characters, which exclude the no-break spaces
const BLANK = /^[\t\n\u000B\f\r\u001C-\u001F\p{Z}]*$/u;
const NO_BREAK = /[\u00A0\u2007\u202F]/;

/**
 * Checks a route. Answers { ok: true, placeholders: [...] } or { ok: false, rule, finding }: the first
 * rule broken, as the server reports it.
 */
export function checkRoute(route) {
  const reject = (rule, finding) => ({ ok: false, rule: RULES[rule], finding });
  if (route === '') return reject('REQUIRED', 'none given');
  if (BLANK.test(route) && !NO_BREAK.test(route)) return reject('BLANK', 'it is blank');
  const chars = [...route];
  if (chars.length > MAX_ROUTE_LENGTH) return reject('TOO_LONG', `it has ${chars.length} characters`);
  const bad = chars.findIndex((c) => FORBIDDEN.test(c));
  if (bad >= 0) return reject('FORBIDDEN_CHARACTER', `it contains ${describe(chars[bad])} at position ${bad + 1}`);
  if (route.startsWith('/')) return reject('EDGE_SLASH', "it starts with '/'");
  if (route.endsWith('/')) return reject('EDGE_SLASH', "it ends with '/'");
  const placeholders = [];
  const segments = route.split('/');
  for (let i = 0; i < segments.length; i++) {
    const part = segments[i];
    if (part === '') return reject('EMPTY_SEGMENT', `segment ${i + 1} is empty`);
    const wrapped = part.length >= 2 && part.startsWith('{') && part.endsWith('}');
    if (!wrapped) {
      if (part.includes('{') || part.includes('}')) {
        return reject('PARTIAL_PLACEHOLDER', `segment '${part}' has a brace but is not a whole placeholder`);
      }
      continue;
    }
    const name = part.slice(1, -1);
    if (!PLACEHOLDER_NAME.test(name)) return reject('PLACEHOLDER_NAME', `placeholder '${part}' has a bad name`);
    if (placeholders.includes(name)) return reject('DUPLICATE_PLACEHOLDER', `placeholder '${part}' appears more than once`);
    placeholders.push(name);
  }
  return { ok: true, placeholders };
}

/** The route with each {placeholder} replaced by its percent-encoded value. */
export function fillRoute(route, values) {
  return route.split('/').map((part) => {
    const m = /^\{(.+)\}$/.exec(part);
    return m ? encodeURIComponent(values[m[1]] ?? '') : part;
  }).join('/');
}

/** scriptName: 1–128 characters from A-Z a-z 0-9 . _ -, not starting with '.' (docs/concepts.md, "Definitions"). */
export function checkScriptName(name) {
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(name)) return 'a script name has 1–128 characters from A-Z a-z 0-9 . _ -';
  if (name.startsWith('.')) return "a script name does not start with '.'";
  return null;
}

/** Token names: 1–50 characters from A-Z a-z 0-9 - _ (docs/concepts.md, "Tokens"). */
export function checkTokenName(name) {
  return /^[A-Za-z0-9_-]{1,50}$/.test(name) ? null : 'a token name has 1–50 characters from A-Z a-z 0-9 - _';
}

function describe(c) {
  const cp = c.codePointAt(0);
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return /[\p{Cc}\p{Zs}\p{Zl}\p{Zp}]/u.test(c) ? hex : `'${c}' (${hex})`;
}
