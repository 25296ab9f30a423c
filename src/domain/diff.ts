import { diffArrays, diffWordsWithSpace, type ChangeObject } from 'diff';

/** One piece of a text diff: kept, inserted or removed. */
export interface DiffPart {
  readonly op: '=' | '+' | '-';
  readonly text: string;
}

/**
 * Beyond this many edits the texts share too little for an alignment to help a reader, and
 * jsdiff's search grows with the square of it: such a change is shown as one removal and one
 * insertion instead. At 1,000 the worst case (two long texts with nothing in common) costs the
 * recorder about 0.2 s once; at 5,000 it cost seconds, during which no other result was recorded.
 */
const MAX_EDIT_LENGTH = 1_000;

/** Han, kana and hangul: scripts written without spaces between words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Characters that may join the one before or after them into one grapheme (or break oddly): all
 * that are not Grapheme_Base (combining and enclosing marks, joiners, variation selectors, tags,
 * controls but LF and tab), spacing marks, regional indicators, emoji modifiers, Hangul jamo and
 * the letters that prepend or join though they are Grapheme_Base. A text without any is split
 * into graphemes by code point; test/unit/domain/graphemes.test.ts holds this to Intl.Segmenter
 * over every code point of the planes in use.
 */
const JOINS =
  // The class lists emoji modifiers and regional indicators on their own, as it means to.
  // eslint-disable-next-line no-misleading-character-class
  /[^\p{Grapheme_Base}\n\t]|[\p{M}\u0d4e\u0e33\u0eb3\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\uff9e\uff9f\u{111c2}\u{111c3}\u{1193f}\u{11941}\u{11a3a}\u{11a84}-\u{11a89}\u{11d46}\u{113d1}\u{11f02}\u{16d63}\u{16d67}-\u{16d6a}\u{1f1e6}-\u{1f1ff}\u{1f3fb}-\u{1f3ff}]/u;

/** True when a character of `s` may join another into one grapheme (see {@link JOINS}). */
export function mayJoin(s: string): boolean {
  return JOINS.test(s);
}

/**
 * A text's graphemes (user-perceived characters). Intl.Segmenter takes some 20 µs a grapheme
 * here, a second for a long article, so it is asked only when a character in the text may join
 * another; otherwise each code point is a grapheme of its own.
 */
export function splitGraphemes(s: string): string[] {
  if (!mayJoin(s)) return Array.from(s);
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
