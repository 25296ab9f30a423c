/** NetEase's time formats. */

const BEIJING = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Milliseconds as an ISO string, or null when out of Date's range. */
function iso(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * `YYYY-MM-DD HH:MM[:SS]` in Beijing time (how NetEase writes times) or an ISO string with an
 * offset, to ISO 8601 UTC; null when unreadable or out of range. Never throws.
 */
export function beijingTimeToIso(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = s.trim();
  const m = BEIJING.exec(t);
  if (m) {
    const [y, mo, d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return null;
    return iso(Date.UTC(y, mo - 1, d, h - 8, mi, se));
  }
  if (ISO_WITH_OFFSET.test(t)) return iso(Date.parse(t));
  return null;
}

const DATE_IN_TEXT = /(\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?)/;

/** The first `YYYY-MM-DD[ HH:MM[:SS]]` in a text, as ISO UTC (a bare date is Beijing midnight), or null. */
export function dateInText(s: string): string | null {
  const d = DATE_IN_TEXT.exec(s)?.[1];
  if (!d) return null;
  return beijingTimeToIso(d.length === 10 ? `${d} 00:00` : d);
}
