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
