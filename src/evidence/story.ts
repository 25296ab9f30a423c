import type { Store } from '../store/store';
import { ScreenshotStore } from '../store/screenshots';
import { targetEvents } from '../store/story';
import type { TargetRef } from '../domain/glossary';

const BEIJING_OFFSET = 8 * 3_600_000;

/** `2023-04-27 02:00:00 UTC (Beijing 10:00:00)`; the date is repeated when Beijing's differs. */
export function bothClocks(ms: number): string {
  const utc = new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  const bj = new Date(ms + BEIJING_OFFSET).toISOString().replace('T', ' ').slice(0, 19);
  return `${utc} UTC (Beijing ${bj.slice(0, 10) === utc.slice(0, 10) ? bj.slice(11) : bj})`;
}

/**
 * A target's story for a terminal: verdict and deletion window, each observation (UTC and Beijing
 * time, outcome, notice, endpoint, HTTP status, body digest, its place in the log), the diff of
 * each edit, screenshots, and how far the log is time-stamped. Undefined when the target is unknown.
 */
export function renderStory(store: Store, ref: TargetRef): string | undefined {
  const row = store.findTarget(ref);
  if (!row) return undefined;
  const s = row.state;
  const lines: string[] = [];
  lines.push(`${row.platform} ${row.kind} ${row.id} — ${row.url}`);
  lines.push(`verdict: ${s.verdict}${s.cause ? ` (${s.cause})` : ''}`);
  if (row.authorName || row.authorId)
    lines.push(`author: ${row.authorName ?? ''}${row.authorId ? ` (${row.authorId})` : ''}`);
  lines.push(`first seen: ${bothClocks(s.firstSeenAt)}`);
  if (s.lastAliveAt !== null) lines.push(`last alive: ${bothClocks(s.lastAliveAt)}`);
  if (s.goneAt !== null) {
    lines.push(`first gone: ${bothClocks(s.goneAt)}`);
    lines.push(
      `deletion window: after the last alive observation, by the first gone one (${s.lastAliveAt !== null ? new Date(s.lastAliveAt).toISOString() : 'never seen alive'}, ${new Date(s.goneAt).toISOString()}]`,
    );
  }
  lines.push(`watches: ${store.watchesOf(row.rowId).join(', ') || 'none'}`);

  const observations = store.observationsOf(row.rowId);
  lines.push('', `observations (${observations.length}):`);
  const seqs: number[] = [];
  observations.forEach((o, i) => {
    const entry = store.log.entryOf(o.id as number);
    if (entry) seqs.push(entry.seq);
    const status = o.http_status != null ? ` HTTP ${String(o.http_status)}` : '';
    const body = o.body_hash ? ` body sha256:${String(o.body_hash).slice(0, 16)}…` : '';
    lines.push(
      `  ${String(i + 1).padStart(3)}. ${bothClocks(o.at as number)}  ${String(o.outcome)}  ${String(o.endpoint)}${status}${body}${entry ? `  log #${entry.seq}` : '  NOT IN LOG'}`,
    );
    if (o.message) lines.push(`       notice: ${String(o.message)}`);
  });

  const edits = targetEvents(store, row.rowId).filter((e) => e.type === 'post.edited');
  lines.push('', `edits (${edits.length}):`);
  for (const e of edits)
    lines.push(
      `  ${bothClocks(e.at)}: ${typeof e.detail.diffText === 'string' ? e.detail.diffText : '(no text diff)'}`,
    );

  const shots = new ScreenshotStore(store).ofTarget(row.rowId);
  lines.push('', `screenshots (${shots.length}):`);
  for (const sh of shots) {
    const when = sh.takenAt !== null ? bothClocks(sh.takenAt) : `wanted ${bothClocks(sh.wantedAt)}`;
    const what =
      sh.state === 'taken'
        ? `${sh.width ?? '?'}×${sh.height ?? '?'} PNG sha256:${(sh.pngSha256 ?? '').slice(0, 16)}…${sh.httpStatus !== null ? ` HTTP ${sh.httpStatus}` : ''}`
        : sh.state === 'pruned'
          ? `pruned by retention (was sha256:${(sh.pngSha256 ?? '').slice(0, 16)}…)`
          : sh.state === 'failed'
            ? `failed after ${sh.attempts} attempts: ${sh.error ?? ''}`
            : `not taken yet${sh.attempts ? ` (${sh.attempts} failed attempts: ${sh.error ?? ''})` : ''}`;
    lines.push(`  ${when}  ${sh.reason} (observation ${sh.observationId})  ${what}`);
  }

  const head = store.log.head();
  const last = seqs.length ? Math.max(...seqs) : null;
  const stamp = last !== null ? store.timestamps.firstCovering(last) : undefined;
  lines.push(
    '',
    `log: entries ${seqs.length ? seqs.join(', ') : 'none'} of ${head.seq}; head ${head.seq} ${head.head}`,
  );
  lines.push(
    stamp
      ? `  time-stamped: entry ${stamp.seq} at ${stamp.genTime !== null ? new Date(stamp.genTime).toISOString() : 'an unstated time'} by ${stamp.tsaUrl}`
      : `  not time-stamped yet past entry ${last ?? 0} (censorwatch timestamp)`,
  );
  return lines.join('\n') + '\n';
}
