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

// Source ranges (docs/tokens.md, "Source ranges"), as io.udapi.token.SourceRanges and AddressText read them:
// IPv4 or IPv6, a CIDR block or a bare address (a single host), no host bits after the prefix, no IPv4
// octet or prefix with leading zeros, no zone id, no IPv4-mapped IPv6 block, nothing but the literal.

export const MAX_SOURCE_RANGES = 100;

const NOT_AN_ADDRESS = 'is not an IPv4 or IPv6 address or CIDR block (e.g. 10.0.0.0/8, 2001:db8::/32, 192.0.2.1); '
  + 'names, ports, brackets, whitespace and IPv4 octets with leading zeros are not allowed';

/** Dotted-quad IPv4 as a BigInt, or null: four decimal octets 0..255 without leading zeros. */
function parseV4(text) {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part) || (part.length > 1 && part[0] === '0') || Number(part) > 255) return null;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

/** An IPv6 literal (RFC 4291 2.2, optionally ending in a dotted quad) as a BigInt, or null. */
function parseV6(text) {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half, last) => {
    if (half === '') return [];
    const parts = half.split(':');
    const values = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (last && i === parts.length - 1 && part.includes('.')) {
        const quad = parseV4(part);
        if (quad === null) return null;
        values.push(quad >> 16n, quad & 0xffffn);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) {
        values.push(BigInt(parseInt(part, 16)));
      } else {
        return null;
      }
    }
    return values;
  };
  const gap = halves.length === 2;
  const head = groupsOf(halves[0], !gap);
  const tail = gap ? groupsOf(halves[1], true) : [];
  if (head === null || tail === null) return null;
  if (gap ? head.length + tail.length > 7 : head.length !== 8) return null;
  const groups = [...head, ...Array(8 - head.length - tail.length).fill(0n), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function v4Text(value) {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}

/** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups (the first on a tie) as "::". */
function v6Text(value) {
  const groups = [];
  for (let g = 7; g >= 0; g--) groups.push(Number((value >> BigInt(16 * g)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let g = 0; g < 8;) {
    if (groups[g] !== 0) { g++; continue; }
    const start = g;
    while (g < 8 && groups[g] === 0) g++;
    if (g - start > bestLength) { bestStart = start; bestLength = g - start; }
  }
  if (bestStart < 0) return groups.map((x) => x.toString(16)).join(':');
  const left = groups.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const right = groups.slice(bestStart + bestLength).map((x) => x.toString(16)).join(':');
  return `${left}::${right}`;
}

function masked(value, bits, prefix) {
  const all = (1n << BigInt(bits)) - 1n;
  const mask = prefix === 0 ? 0n : (all << BigInt(bits - prefix)) & all;
  return value & mask;
}

/**
 * Checks one source range. Answers { ok: true, canonical } (the form the server stores: bare addresses
 * get /32 or /128, IPv6 as RFC 5952) or { ok: false, problem } with the server's words for the problem.
 */
export function checkSourceRange(text) {
  const reject = (problem) => ({ ok: false, problem });
  if (typeof text !== 'string') return reject('is not a string');
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  if (text.includes('%')) return reject('has a zone id; zones are not allowed in source ranges');
  if (address.length < 2 || address.length > 45) return reject(NOT_AN_ADDRESS);
  const v6 = address.includes(':');
  let value = v6 ? parseV6(address) : parseV4(address);
  if (value === null) return reject(NOT_AN_ADDRESS);
  const mapped = v6 && (value >> 32n) === 0xffffn;
  const max = v6 ? 128 : 32;
  let prefix = max;
  if (slash >= 0) {
    const digits = text.slice(slash + 1);
    prefix = /^(0|[1-9][0-9]{0,2})$/.test(digits) ? Number(digits) : -1;
    if (prefix < 0 || prefix > max) {
      return reject(`has an invalid prefix length; use a decimal 0..${max} without sign or leading zeros`);
    }
  }
  if (mapped && prefix >= 96) {
    const v4 = value & 0xffffffffn;
    return reject(`is an IPv4-mapped IPv6 block; write it as IPv4: ${v4Text(masked(v4, 32, prefix - 96))}/${prefix - 96}`);
  }
  const network = masked(value, max, prefix);
  const show = (v) => (v6 ? v6Text(v) : v4Text(v));
  if (network !== value) {
    return reject(`has host bits set after the /${prefix} prefix; write the network ${show(network)}/${prefix}, `
      + `or the single host with /${max}`);
  }
  value = network;
  return { ok: true, canonical: `${show(value)}/${prefix}` };
}

/**
 * The source-range textarea: one block per line, blank lines ignored. Answers { ok: true, ranges } (null when
 * no line is filled: any address) or { ok: false, problems: [{ line, text, problem }] }.
 */
export function checkSourceRanges(text) {
  const lines = text.split('\n').map((line, i) => ({ line: i + 1, text: line.replace(/\r$/, '') }))
    .filter((l) => l.text.trim() !== '');
  if (lines.length === 0) return { ok: true, ranges: null };
  const problems = [];
  if (lines.length > MAX_SOURCE_RANGES) {
    problems.push({ line: lines[MAX_SOURCE_RANGES].line, text: lines[MAX_SOURCE_RANGES].text,
      problem: `is one too many: at most ${MAX_SOURCE_RANGES} blocks are allowed` });
  }
  for (const l of lines) {
    // surrounding spaces of a line are the textarea's, not the block's
    const result = checkSourceRange(l.text.trim());
    if (!result.ok) problems.push({ ...l, problem: result.problem });
  }
  return problems.length ? { ok: false, problems } : { ok: true, ranges: lines.map((l) => l.text.trim()) };
}
