/** One piece of a text diff: kept, inserted or removed. */
export interface DiffPart {
  readonly op: '=' | '+' | '-';
  readonly text: string;
}

/** Largest middle section compared character by character; beyond it the diff is coarse. */
const MAX_LCS_CELLS = 4_000_000;

/**
 * Character diff of two texts (Chinese has no word boundaries, so characters are the unit).
 * Common prefix and suffix are trimmed first; the middle is aligned by longest common subsequence
 * when small enough, else reported as one removal and one insertion.
 */
export function diffText(before: string, after: string): DiffPart[] {
  const a = Array.from(before);
  const b = Array.from(after);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  const parts: DiffPart[] = [];
  const push = (op: DiffPart['op'], text: string): void => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.op === op) parts[parts.length - 1] = { op, text: last.text + text };
    else parts.push({ op, text });
  };
  push('=', a.slice(0, pre).join(''));
  if (midA.length * midB.length <= MAX_LCS_CELLS) {
    for (const p of lcsDiff(midA, midB)) push(p.op, p.text);
  } else {
    push('-', midA.join(''));
    push('+', midB.join(''));
  }
  push('=', a.slice(a.length - suf).join(''));
  return parts;
}

function lcsDiff(a: string[], b: string[]): DiffPart[] {
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const t = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] =
        a[i] === b[j] ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
    }
  }
  const out: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: '=', text: a[i]! });
      i++;
      j++;
    } else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) {
      out.push({ op: '-', text: a[i++]! });
    } else {
      out.push({ op: '+', text: b[j++]! });
    }
  }
  while (i < n) out.push({ op: '-', text: a[i++]! });
  while (j < m) out.push({ op: '+', text: b[j++]! });
  return out;
}

/** A compact one-line rendering: `[-removed-]{+inserted+}` inside kept text. */
export function renderDiff(parts: readonly DiffPart[]): string {
  return parts
    .map((p) => (p.op === '=' ? p.text : p.op === '-' ? `[-${p.text}-]` : `{+${p.text}+}`))
    .join('');
}
