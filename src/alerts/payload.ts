import type { Cause, Platform, TargetKind, Verdict } from '../domain/glossary';
import type { DiffPart } from '../domain/diff';
import type { EventRow, TargetRow } from '../store/store';

/** A Standard Webhooks payload: `type`, `timestamp` (when it happened, ISO 8601 UTC) and `data`. */
export interface StandardPayload<T> {
  readonly type: string;
  readonly timestamp: string;
  readonly data: T;
}

/** The target an event is about, as it stood when the event was enqueued. */
export interface AlertTarget {
  readonly platform: Platform;
  readonly kind: TargetKind;
  readonly id: string;
  readonly url: string;
  readonly author: { readonly id: string | null; readonly name: string | null } | null;
  readonly verdict: Verdict;
  /** Plain text of the last alive observation: what was there before it went. */
  readonly lastAliveText: string | null;
  readonly lastAliveAt: string | null;
}

/** Hashes that let a receiver ask for, and re-check, the evidence behind an event. */
export interface EvidenceRef {
  /** `observation` (a check of the target) or `search` (a keyword listing). */
  readonly source: 'observation' | 'search';
  readonly at: string;
  readonly outcome: string;
  readonly endpoint: string | null;
  /** SHA-256 of the raw response body. */
  readonly bodyHash: string | null;
  /** Hash of the normalized content (alive observations). */
  readonly contentHash: string | null;
  /** Position in the target's observation hash chain (`verify` recomputes it). */
  readonly chain: string | null;
}

/** The deletion window (last alive observation, first gone observation], ISO 8601 UTC. */
export interface DeletionWindow {
  readonly lastAliveAt: string | null;
  readonly goneAt: string | null;
}

/** The text change of a `post.edited` event. */
export interface EditDiff {
  readonly before: string | null;
  readonly after: string | null;
  /** Compact rendering: `[-removed-]{+inserted+}` inside kept text. */
  readonly text: string | null;
  readonly parts: readonly DiffPart[];
}

/** `data` of one event's payload. */
export interface AlertData {
  readonly eventId: number;
  readonly event: string;
  readonly at: string;
  readonly watch: string | null;
  readonly platform: Platform;
  readonly target: AlertTarget | null;
  /** The keyword of search events. */
  readonly keyword: string | null;
  readonly cause: Cause | null;
  readonly window: DeletionWindow | null;
  readonly diff: EditDiff | null;
  readonly evidence: readonly EvidenceRef[];
  /** The event's own detail, as recorded. */
  readonly detail: Record<string, unknown>;
  /** One plain line for humans. */
  readonly summary: string;
}

/** The payload of one event. */
export type EventPayload = StandardPayload<AlertData>;

/** `data` of a digest: the events of one interval, each as its own payload. */
export interface DigestData {
  readonly count: number;
  readonly from: string;
  readonly until: string;
  readonly summary: string;
  readonly events: readonly EventPayload[];
}

/** A digest's payload, type `digest`. */
export type DigestPayload = StandardPayload<DigestData>;

/** What `alerts test` sends, type `webhook.test`. */
export type TestPayload = StandardPayload<{ readonly webhook: string; readonly summary: string }>;

/** Any payload the alerter sends. */
export type AnyPayload = EventPayload | DigestPayload | TestPayload;

/** How a webhook wants its messages: Standard Webhooks JSON, or Slack-compatible text blocks. */
export type PayloadFormat = 'standard' | 'slack';

function iso(ms: number | null | undefined): string | null {
  return ms == null || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** `2023-04-27T01:00Z`: minutes, with seconds only when they are not zero. */
export function shortTime(ms: number): string {
  const s = new Date(ms).toISOString();
  const seconds = s.slice(17, 19);
  return seconds === '00' && s.slice(20, 23) === '000' ? `${s.slice(0, 16)}Z` : `${s.slice(0, 19)}Z`;
}

/** Second end of a range: only the time when it falls on the same UTC day as `from`. */
function rangeEnd(from: number, to: number): string {
  const t = shortTime(to);
  return shortTime(from).slice(0, 10) === t.slice(0, 10) ? t.slice(11) : t;
}

function clip(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** The deletion window an event states, if any. */
function windowOf(e: EventRow): DeletionWindow | null {
  const lastAlive = num(e.detail.lastAliveAt);
  const gone = num(e.detail.goneAt);
  if (lastAlive === null && gone === null) return null;
  return { lastAliveAt: iso(lastAlive), goneAt: iso(gone) };
}

function diffOf(e: EventRow): EditDiff | null {
  if (e.type !== 'post.edited') return null;
  const parts = Array.isArray(e.detail.diff) ? (e.detail.diff as DiffPart[]) : [];
  return { before: str(e.detail.before), after: str(e.detail.after), text: str(e.detail.diffText), parts };
}

/**
 * The plain one-line summary of an event, e.g.
 * `weibo post 4383… removed_by_platform (gone between 2023-04-27T01:00Z and 01:05Z) — watch un-vote-2023`.
 */
export function summarize(e: EventRow): string {
  const subject = `${e.platform} ${e.kind ?? 'post'} ${e.nativeId ?? '?'}`;
  const d = e.detail;
  let line: string;
  switch (e.type) {
    case 'post.gone':
    case 'comment.gone': {
      const lastAlive = num(d.lastAliveAt);
      const gone = num(d.goneAt) ?? e.at;
      const when =
        lastAlive === null
          ? `gone by ${shortTime(gone)}, never seen alive`
          : `gone between ${shortTime(lastAlive)} and ${rangeEnd(lastAlive, gone)}`;
      const what = e.type === 'comment.gone' ? `comment ${e.cause ?? 'gone'}` : (e.cause ?? 'gone');
      line = `${subject} ${what} (${when})`;
      break;
    }
    case 'post.edited': {
      const diff = str(d.diffText);
      line = diff ? `${subject} edited: ${clip(diff, 120)}` : `${subject} edited`;
      break;
    }
    case 'post.discovered':
      line = `${subject} discovered${str(d.via) ? ` via ${str(d.via)}` : ''}`;
      break;
    case 'post.restored': {
      const gone = num(d.goneAt);
      line = `${subject} restored${str(d.cause) ? ` after ${str(d.cause)}` : ''}${gone !== null ? ` (gone since ${shortTime(gone)})` : ''}`;
      break;
    }
    case 'post.cause_changed':
      line = `${subject} cause changed from ${str(d.from) ?? 'unknown'} to ${str(d.to) ?? e.cause ?? 'unknown'}`;
      break;
    case 'post.unlisted':
      line = `${subject} unlisted`;
      break;
    case 'search.blocked': {
      const reason = str(d.reason);
      line = `${e.platform} search "${e.keyword ?? ''}" blocked${reason ? ` (${reason})` : ''} at ${shortTime(e.at)}`;
      break;
    }
    case 'search.unblocked':
      line = `${e.platform} search "${e.keyword ?? ''}" unblocked at ${shortTime(e.at)}`;
      break;
    case 'monitor.degraded': {
      const reason = str(d.reason) ?? str(d.message);
      line = `${e.platform} monitoring degraded${reason ? `: ${reason}` : ''} at ${shortTime(e.at)}`;
      break;
    }
    case 'watch.problem':
      // The detail's summary names the keyword, account or URL and what is wrong with it.
      line = `watch problem: ${str(d.summary) ?? `${e.platform} ${str(d.problem) ?? 'problem'}`}${str(d.hint) ? ` — ${str(d.hint)}` : ''}`;
      break;
    default:
      line = e.nativeId ? `${subject} ${e.type}` : `${e.platform} ${e.type}`;
  }
  return e.watchId ? `${line} — watch ${e.watchId}` : line;
}

/** What the payload of one event is built from. */
export interface EventPayloadInput {
  readonly event: EventRow;
  readonly target: TargetRow | null;
  readonly evidence: readonly EvidenceRef[];
}

/** The standard payload of one event. */
export function eventPayload({ event, target, evidence }: EventPayloadInput): EventPayload {
  return {
    type: event.type,
    timestamp: new Date(event.at).toISOString(),
    data: {
      eventId: event.id,
      event: event.type,
      at: new Date(event.at).toISOString(),
      watch: event.watchId,
      platform: event.platform,
      target: target
        ? {
            platform: target.platform,
            kind: target.kind,
            id: target.id,
            url: target.url,
            author:
              target.authorId !== null || target.authorName !== null
                ? { id: target.authorId, name: target.authorName }
                : null,
            verdict: target.state.verdict,
            lastAliveText: target.state.lastAliveText,
            lastAliveAt: iso(target.state.lastAliveAt),
          }
        : null,
      keyword: event.keyword,
      cause: event.cause,
      window: windowOf(event),
      diff: diffOf(event),
      evidence,
      detail: event.detail,
      summary: summarize(event),
    },
  };
}

/** The digest of events collected in [from, until). */
export function digestPayload(events: readonly EventPayload[], from: number, until: number): DigestPayload {
  const n = events.length;
  return {
    type: 'digest',
    timestamp: new Date(until).toISOString(),
    data: {
      count: n,
      from: new Date(from).toISOString(),
      until: new Date(until).toISOString(),
      summary: `censorwatch digest: ${n} event${n === 1 ? '' : 's'} between ${shortTime(from)} and ${rangeEnd(from, until)}`,
      events,
    },
  };
}

/** The signed test message `alerts test` sends. */
export function testPayload(webhook: string, now: number): TestPayload {
  return {
    type: 'webhook.test',
    timestamp: new Date(now).toISOString(),
    data: { webhook, summary: `censorwatch test message for webhook ${webhook}` },
  };
}

// ---- Slack ---------------------------------------------------------------------------------------

/** A Slack Block Kit block, as far as the alerter uses them. */
export type SlackBlock =
  | { readonly type: 'section'; readonly text: { readonly type: 'mrkdwn'; readonly text: string } }
  | {
      readonly type: 'context';
      readonly elements: readonly { readonly type: 'mrkdwn'; readonly text: string }[];
    }
  | { readonly type: 'divider' };

/** A Slack-compatible message: `text` is the notification line and the fallback for clients without blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** Slack allows 50 blocks per message: header, 3 per event, overflow line. */
const SLACK_MAX_EVENTS = 15;

/** Escapes the three characters Slack mrkdwn treats as control characters. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function slackEventBlocks(p: EventPayload): SlackBlock[] {
  const d = p.data;
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(d.summary)}*` } },
  ];
  const quoted = d.diff?.text ?? d.target?.lastAliveText ?? null;
  if (quoted)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `> ${slackEscape(clip(quoted, 500))}` } });
  const context: string[] = [];
  if (d.target?.url) context.push(`<${d.target.url}|open ${d.target.platform} ${d.target.kind}>`);
  if (d.target?.author?.name) context.push(`author ${slackEscape(d.target.author.name)}`);
  if (d.window) context.push(`window (${d.window.lastAliveAt ?? 'never alive'}, ${d.window.goneAt ?? '?'}]`);
  context.push(`event ${d.eventId}`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  return blocks;
}

/** Renders any payload as a Slack-compatible message. */
export function slackMessage(p: AnyPayload): SlackMessage {
  if (p.type === 'webhook.test') {
    const summary = (p as TestPayload).data.summary;
    return {
      text: summary,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: slackEscape(summary) } }],
    };
  }
  if (p.type === 'digest') {
    const d = (p as DigestPayload).data;
    const blocks: SlackBlock[] = [
      { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(d.summary)}*` } },
    ];
    for (const e of d.events.slice(0, SLACK_MAX_EVENTS)) {
      blocks.push({ type: 'divider' }, ...slackEventBlocks(e).slice(0, 2));
    }
    if (d.events.length > SLACK_MAX_EVENTS) {
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `and ${d.events.length - SLACK_MAX_EVENTS} more` }],
      });
    }
    return { text: d.summary, blocks };
  }
  const e = p as EventPayload;
  return { text: e.data.summary, blocks: slackEventBlocks(e) };
}

/** The request body for a webhook's format. Pure, so every retry of a message sends the same bytes. */
export function renderBody(format: PayloadFormat, p: AnyPayload): string {
  return JSON.stringify(format === 'slack' ? slackMessage(p) : p);
}
