import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';

/** One line of a file that is not valid UTF-8. */
export interface EncodingProblem {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column (in characters) of the first byte that is not UTF-8. */
  readonly column: number;
  readonly message: string;
}

/** Lines reported one by one; the rest are counted, so a whole GBK file is not a page of errors. */
const MAX_LINES_REPORTED = 10;

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
}

/** How the line reads as GB18030 (a superset of GBK and GB2312), when that gives clean Chinese. */
function chineseReading(line: Buffer): string | null {
  const text = iconv.decode(line, 'gb18030').trim();
  if (text.includes('\uFFFD') || !/[\u4e00-\u9fff]/.test(text)) return null;
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Decodes a file's bytes as UTF-8, refusing to guess: a keyword saved in GBK would otherwise run
 * as mojibake and find nothing. `problems` names each line that is not UTF-8; `text` is the lenient
 * decoding (bad bytes as U+FFFD), so the rest of the file can still be checked in the same pass.
 */
export function decodeUtf8(bytes: Buffer): { text: string; problems: EncodingProblem[] } {
  try {
    return { text: strict.decode(bytes), problems: [] };
  } catch {
    // fall through: find the lines at fault
  }
  const text = lenient.decode(bytes);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return {
      text,
      problems: [{ line: 1, column: 1, message: 'the file is UTF-16: save it as UTF-8' }],
    };
  }
  const problems: EncodingProblem[] = [];
  let bad = 0;
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const raw = bytes.subarray(start, end);
    start = end + 1;
    try {
      strict.decode(raw);
      continue;
    } catch {
      bad++;
    }
    if (problems.length >= MAX_LINES_REPORTED) continue;
    const decoded = lenient.decode(raw);
    const column = decoded.indexOf('\uFFFD') + 1;
    // The bytes from the first bad one, enough to recognise a GBK pair.
    const prefix = Buffer.byteLength(decoded.slice(0, column - 1));
    const sample = raw.subarray(prefix, prefix + 4);
    // A line that also holds valid UTF-8 Chinese is broken UTF-8, not GBK: no GBK reading then.
    const reading = /[\u4e00-\u9fff]/.test(decoded) ? null : chineseReading(raw);
    problems.push({
      line,
      column,
      message:
        `not UTF-8 (bytes ${hex(sample)})` +
        (reading === null ? '' : `; it reads as GBK/GB18030: "${reading}"`) +
        ': save the file as UTF-8',
    });
  }
  if (bad > problems.length) {
    const last = problems[problems.length - 1];
    if (last) {
      problems.push({
        line: last.line,
        column: last.column,
        message: `and ${bad - problems.length} more lines that are not UTF-8`,
      });
    }
  }
  return { text, problems };
}

/**
 * Reads a text file strictly as UTF-8 (cookie and secret files).
 * @throws Error naming the first line that is not UTF-8, or the read error
 */
export function readUtf8File(file: string): string {
  const { text, problems } = decodeUtf8(readFileSync(file));
  const first = problems[0];
  if (first) throw new Error(`line ${first.line}: ${first.message}`);
  return text;
}
