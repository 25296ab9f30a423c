import { diffArrays, diffWordsWithSpace, type ChangeObject } from 'diff';

/** One piece of a text diff: kept, inserted or removed. */
export interface DiffPart {
  readonly op: '=' | '+' | '-';
  readonly text: string;
}

/**
 * Beyond this many edits the texts share too little for an alignment to help a reader, and
 * jsdiff's search grows with the square of it: such a change is shown as one removal and one
 * insertion instead.
 */
const MAX_EDIT_LENGTH = 5_000;

/** Han, kana and hangul: scripts written without spaces between words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function splitGraphemes(s: string): string[] {
  return Array.from(graphemes.segment(s), (g) => g.segment);
}

/**
 * The diff of two texts, with jsdiff. Chinese and Japanese have no spaces between words, so they
 * are compared grapheme by grapheme (an emoji or a combined character stays whole); text in other
 * scripts word by word, so an edit shows as the words that changed.
 */
export function diffText(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ op: '=', text: before }] : [];
  const changes: ChangeObject<string>[] | undefined =
    UNSPACED.test(before) || UNSPACED.test(after)
      ? diffArrays(splitGraphemes(before), splitGraphemes(after), { maxEditLength: MAX_EDIT_LENGTH })?.map(
          (c) => ({ ...c, value: c.value.join('') }),
        )
      : diffWordsWithSpace(before, after, { maxEditLength: MAX_EDIT_LENGTH });
  if (!changes)
    return [
      ...(before ? [{ op: '-' as const, text: before }] : []),
      ...(after ? [{ op: '+' as const, text: after }] : []),
    ];
  const parts: DiffPart[] = [];
  for (const c of changes) {
    if (!c.value) continue;
    const op: DiffPart['op'] = c.added ? '+' : c.removed ? '-' : '=';
    const last = parts[parts.length - 1];
    if (last && last.op === op) parts[parts.length - 1] = { op, text: last.text + c.value };
    else parts.push({ op, text: c.value });
  }
  return parts;
}

/** A compact one-line rendering: `[-removed-]{+inserted+}` inside kept text. */
export function renderDiff(parts: readonly DiffPart[]): string {
  return parts
    .map((p) => (p.op === '=' ? p.text : p.op === '-' ? `[-${p.text}-]` : `{+${p.text}+}`))
    .join('');
}
