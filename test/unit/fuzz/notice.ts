/**
 * Whether a body could carry a statement of absence, judged more broadly than any parser judges
 * it: a fragment of any notice either platform's parsers know, a known error code standing alone,
 * or a flag key of a placeholder or an error envelope. Only a body with none of these is one the
 * absence rule says can never become a final outcome.
 */

/**
 * Fragments of the notices (folded: NFKC, lower case, no punctuation or spaces), each shorter than
 * the wording it stands for, so every rule of src/platforms/weibo/classify.ts and
 * src/platforms/netease/wording.ts that states absence, removal or restriction contains one.
 */
const FRAGMENTS: readonly string[] = [
  // deletion, any actor
  '删',
  '刪',
  // not found / no permission / cannot be viewed
  '不存在',
  'doesnotexist',
  'notexist',
  'notfound',
  '无法查看',
  '無法查看',
  '不能查看',
  '权限',
  '權限',
  '找不到',
  '没有找到',
  '下线',
  '审核',
  '屏蔽',
  '不予显示',
  // restriction by the author
  '设置',
  '設置',
  '半年',
  '可见',
  '可見',
  // removal by the platform
  '多人',
  '加密',
  '不适宜',
  '违反',
  '违规',
  '法律法规',
  '相关规定',
  '不良信息',
  // the account
  '账号',
  '帐号',
  '帳號',
  '賬號',
  '用户自行申请',
  '锁定',
  '注销',
  // search withholding
  '未予显示',
];

/** Error codes and statuses with a known meaning on either platform, as whole numbers. */
const CODES = /(?<![0-9])(?:20101|20112|20003|20132|20135|20120|20130|40403|404|410)(?![0-9])/;

/** JSON keys of placeholder flags and error envelopes (NetEase's `code` when it holds an error code). */
const FLAG_KEYS = /"(?:state|deleted|errno|error_code)"|"code"\s*:\s*"?\d{5}(?!\d)/i;

/**
 * NFKC, lower case, and only CJK ideographs, ASCII letters and digits kept: more is dropped than
 * the parsers drop (punctuation, spaces, symbols), so a fragment split by anything is still seen.
 */
function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9\u3400-\u9fff\uf900-\ufaff]+/g, '');
}

/**
 * The body's text, and where they differ, its JSON decoding (`\uXXXX` escapes) and its numeric
 * character references decoded: the forms a parser may read a notice in.
 */
function texts(body: Buffer): string[] {
  const raw = body.toString('utf8');
  const out = [raw];
  if (raw.includes('\\u')) {
    try {
      out.push(JSON.stringify(JSON.parse(raw)));
    } catch {
      // Not JSON: the raw text is all there is.
    }
  }
  if (raw.includes('&#')) {
    out.push(
      raw.replace(/&#(x[0-9a-f]+|\d+);?/gi, (_m, ref: string) => {
        const code = ref[0] === 'x' || ref[0] === 'X' ? parseInt(ref.slice(1), 16) : parseInt(ref, 10);
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }),
    );
  }
  return out;
}

/** What in a body may be a notice (for a failure message); empty when it certainly carries none. */
export function noticeHits(body: Buffer): string[] {
  const hits = new Set<string>();
  for (const t of texts(body)) {
    const k = FLAG_KEYS.exec(t);
    if (k) hits.add(k[0]);
    const c = CODES.exec(t);
    if (c) hits.add(c[0]);
    const f = fold(t);
    for (const x of FRAGMENTS) if (f.includes(x)) hits.add(x);
  }
  return [...hits];
}

/** True when the body may carry a notice, a code or a flag; false only when it certainly carries none. */
export function mayCarryNotice(body: Buffer): boolean {
  for (const t of texts(body)) {
    if (FLAG_KEYS.test(t) || CODES.test(t)) return true;
    const f = fold(t);
    if (FRAGMENTS.some((x) => f.includes(x))) return true;
  }
  return false;
}

/** Unrelated text put where a notice was: it carries no fragment, code or flag. */
const FILLERS: readonly string[] = [
  '今天天气很好',
  '我们一起去公园散步',
  '这家店的面条真香',
  '周末读了一本书',
];

/** Decodes `\\uXXXX` escapes (by re-writing a JSON body) and non-ASCII character references, so a notice shows as text. */
function plainText(body: Buffer): string {
  const raw = body.toString('utf8');
  let t = raw;
  if (raw.includes('\\u')) {
    try {
      t = JSON.stringify(JSON.parse(raw));
    } catch {
      // Not JSON: escapes stay as they are, and the body is judged by what it still may carry.
    }
  }
  return t.replace(/&#(x[0-9a-f]+|\d+);?/gi, (m, ref: string) => {
    const code = ref[0] === 'x' || ref[0] === 'X' ? parseInt(ref.slice(1), 16) : parseInt(ref, 10);
    return Number.isFinite(code) && code >= 0x80 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/** The ways {@link withoutNotices} takes a notice out of a body. */
export const NOTICE_REMOVALS = [
  'replace-notice-text',
  'cut-before-notice',
  'blank-notice-characters',
] as const;
export type NoticeRemoval = (typeof NOTICE_REMOVALS)[number];

/**
 * A body with every statement of absence taken out, the rest of it kept: the notice text replaced
 * by unrelated words, the body cut off before it, or its characters blanked; placeholder and error
 * flags renamed and known codes changed; and, whatever is left, the first character of every
 * fragment {@link mayCarryNotice} looks for replaced. What comes out carries no notice unless a
 * fragment was split by markup in a way this does not see; callers check with {@link mayCarryNotice}.
 */
export function withoutNotices(body: Buffer, how: NoticeRemoval, pick: <T>(xs: readonly T[]) => T): Buffer {
  let t = plainText(body);
  const cjk = FRAGMENTS.filter((f) => /[\u3400-\u9fff]/.test(f));
  if (how === 'replace-notice-text') {
    t = t.replace(/[\u3400-\u9fff\uf900-\ufaff]+/g, (run) =>
      cjk.some((f) => run.includes(f)) ? pick(FILLERS) : run,
    );
  } else if (how === 'cut-before-notice') {
    const first = Math.min(
      ...cjk.map((f) => t.indexOf(f)).filter((i) => i >= 0),
      ...[FLAG_KEYS.exec(t)?.index, CODES.exec(t)?.index].filter((i): i is number => i !== undefined),
      t.length,
    );
    t = t.slice(0, first);
  } else {
    for (const f of cjk) t = t.split(f).join('某'.repeat(f.length));
  }
  t = t
    .replace(/"(state|deleted|errno|error_code)"/gi, '"$1_renamed"')
    .replace(/("code"\s*:\s*"?)\d{5}(?!\d)/gi, '$1x')
    .replace(new RegExp(CODES.source, 'g'), '777')
    .replace(/not[\s\W_]*(?:found|exist)/gi, 'fine');
  // Whatever a fragment split by punctuation or markup left: its first character goes.
  for (const f of cjk) t = t.split(f[0]!).join('某');
  return Buffer.from(t, 'utf8');
}
