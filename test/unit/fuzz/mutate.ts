import type { FuzzRng } from './rng';

/** One mutation applied to a body, named so a failure says what was done. */
export interface Mutation {
  readonly name: string;
  apply(body: Buffer, rng: FuzzRng, donors: readonly Buffer[]): Buffer;
}

type Json = unknown;

function tryJson(body: Buffer): Json | undefined {
  try {
    return JSON.parse(body.toString('utf8')) as Json;
  } catch {
    return undefined;
  }
}

interface Slot {
  readonly parent: Record<string, Json> | Json[];
  readonly key: string | number;
}

/** Every (container, key) of a JSON value, breadth-first, capped so huge bodies stay cheap. */
function slots(root: Json, limit = 4000): Slot[] {
  const out: Slot[] = [];
  const queue: Json[] = [root];
  while (queue.length > 0 && out.length < limit) {
    const v = queue.shift();
    if (Array.isArray(v)) {
      v.forEach((child, i) => {
        out.push({ parent: v, key: i });
        if (typeof child === 'object' && child !== null) queue.push(child);
      });
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v as Record<string, Json>)) {
        out.push({ parent: v as Record<string, Json>, key: k });
        if (typeof child === 'object' && child !== null) queue.push(child);
      }
    }
  }
  return out;
}

function getSlot(s: Slot): Json {
  return Array.isArray(s.parent) ? s.parent[s.key as number] : s.parent[s.key as string];
}

function setSlot(s: Slot, v: Json): void {
  if (Array.isArray(s.parent)) s.parent[s.key as number] = v;
  else s.parent[s.key as string] = v;
}

/** A JSON-level mutation; bodies that are not JSON get a byte flip instead. */
function onJson(name: string, edit: (root: Json, rng: FuzzRng) => void): Mutation {
  return {
    name,
    apply(body, rng, donors) {
      const root = tryJson(body);
      if (root === undefined || typeof root !== 'object' || root === null)
        return byteFlip.apply(body, rng, donors);
      edit(root, rng);
      return Buffer.from(JSON.stringify(root), 'utf8');
    },
  };
}

const EXTREME_NUMBERS: readonly number[] = [
  9e15,
  -9e15,
  8.64e15 + 1,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  2 ** 53 + 1,
  -1,
  0,
  1.5,
  4294967296,
];
const ABSURD_STRINGS: readonly string[] = [
  'Sat Jun 15 11:44:46 +0800 999999',
  'Mon Feb 31 25:61:61 +9999 2019',
  '275761-13-45',
  '99999999999999999999分钟前',
  '昨天 99:99',
  '1e400',
  '99999999999999999999亿',
  '-0',
  'NaN',
  'Infinity',
  '',
  ' ',
];
const SWAP_VALUES: readonly Json[] = [null, [], {}, '', 'x', 0, 1, -1, true, false, '1万+', [null], { a: 1 }];
const UNICODE: readonly string[] = [
  '\u200b',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\u0000',
  '😀',
  '，',
  '！',
  '：',
  'ｈｔｔｐ',
  'e\u0301',
  '\u3000',
  '\uffff',
  '𠜎',
];
const HTML_SPLICES: readonly string[] = [
  '<script>',
  '</script>',
  '<!--',
  '-->',
  '<p class="h5-4con">',
  '</p>',
  '<div>',
  '</div>',
  '<title>',
  '</title>',
  '<![CDATA[',
  '<meta charset="gbk">',
  '<meta charset="utf-16">',
  '&#x10ffff;',
  '&#99999999;',
  '&amp',
  '&#0;',
  '<script>var $render_data = [{"status":{}}][0] || {};</script>',
  '<html><head></head><body></body></html>',
  '<h1 class="post_title">',
  '<div class="post_body">',
  '\r\n\r\n',
];

export const byteFlip: Mutation = {
  name: 'byte-flip',
  apply(body, rng) {
    if (body.length === 0) return Buffer.from([rng.below(256)]);
    const out = Buffer.from(body);
    const n = 1 + rng.below(8);
    for (let i = 0; i < n; i++) {
      const at = rng.below(out.length);
      out[at] = rng.chance(0.5) ? rng.below(256) : (out[at]! ^ (1 << rng.below(8))) & 0xff;
    }
    return out;
  },
};

export const truncate: Mutation = {
  name: 'truncate',
  apply(body, rng) {
    return body.subarray(0, rng.below(body.length + 1));
  },
};

export const deleteField = onJson('json-delete-field', (root, rng) => {
  const s = slots(root);
  if (s.length === 0) return;
  const slot = rng.pick(s);
  if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
  else delete slot.parent[slot.key as string];
});

export const swapType = onJson('json-type-swap', (root, rng) => {
  const s = slots(root);
  if (s.length > 0) setSlot(rng.pick(s), rng.pick(SWAP_VALUES));
});

/** A number or string value becomes an extreme number or an absurd string, either type. */
export const numericExtreme = onJson('json-numeric-extreme', (root, rng) => {
  const s = slots(root).filter((x) => {
    const v = getSlot(x);
    return typeof v === 'number' || typeof v === 'string';
  });
  if (s.length > 0)
    setSlot(rng.pick(s), rng.chance(0.6) ? rng.pick(EXTREME_NUMBERS) : rng.pick(ABSURD_STRINGS));
});

/** A time field (`created_at`, `createTime`, `ptime`, …) becomes an extreme number or an absurd date. */
export const dateExtreme = onJson('json-date-extreme', (root, rng) => {
  const s = slots(root).filter((x) => typeof x.key === 'string' && /time|date|created|_at$/i.test(x.key));
  if (s.length > 0)
    setSlot(rng.pick(s), rng.chance(0.6) ? rng.pick(EXTREME_NUMBERS) : rng.pick(ABSURD_STRINGS));
});

export const unicodeInString = onJson('json-unicode-in-string', (root, rng) => {
  const strings = slots(root).filter((x) => typeof getSlot(x) === 'string');
  if (strings.length === 0) return;
  const slot = rng.pick(strings);
  const v = getSlot(slot) as string;
  const at = rng.below(v.length + 1);
  setSlot(slot, v.slice(0, at) + rng.pick(UNICODE) + v.slice(at));
});

/** Inserts text at a random byte offset (possibly inside a UTF-8 sequence). */
function insertAt(body: Buffer, rng: FuzzRng, insert: Buffer): Buffer {
  const at = rng.below(body.length + 1);
  return Buffer.concat([body.subarray(0, at), insert, body.subarray(at)]);
}

export const unicodeInject: Mutation = {
  name: 'unicode-inject',
  apply(body, rng) {
    const bytes = rng.chance(0.2)
      ? Buffer.from([0xff, 0xfe, 0xc0, 0x80].slice(0, 1 + rng.below(4)))
      : Buffer.from(rng.pick(UNICODE), 'utf8');
    return insertAt(body, rng, bytes);
  },
};

export const htmlSplice: Mutation = {
  name: 'html-splice',
  apply(body, rng) {
    return insertAt(body, rng, Buffer.from(rng.pick(HTML_SPLICES), 'utf8'));
  },
};

export const donorSplice: Mutation = {
  name: 'donor-splice',
  apply(body, rng, donors) {
    const donor = rng.pick(donors);
    const from = rng.below(donor.length + 1);
    const len = rng.below(Math.min(2048, donor.length - from) + 1);
    return insertAt(body, rng, donor.subarray(from, from + len));
  },
};

export const replaceRange: Mutation = {
  name: 'replace-range',
  apply(body, rng) {
    const from = rng.below(body.length + 1);
    const len = rng.below(Math.min(256, body.length - from) + 1);
    return Buffer.concat([body.subarray(0, from), body.subarray(from + len)]);
  },
};

/** Every mutation, each equally likely. */
export const MUTATIONS: readonly Mutation[] = [
  byteFlip,
  truncate,
  deleteField,
  swapType,
  numericExtreme,
  dateExtreme,
  unicodeInString,
  unicodeInject,
  htmlSplice,
  donorSplice,
  replaceRange,
];
