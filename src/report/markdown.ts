/**
 * The Markdown report: the same order and columns as the HTML page (./html.ts), without charts.
 * Post rows and comment-thread rows never share a table, so an id appears once per table.
 */
import { FINAL_OUTCOMES } from '../domain/glossary';
import {
  PROBLEMS_NOTE,
  beijingTime,
  comparisonRows,
  formatDuration,
  plural,
  summaryRows,
  utcTime,
} from './format';
import { CODE_POINT_NOTE, showInvisible } from './escape';
import type { GoneTargetEntry, Report, WatchReport } from './report';

/**
 * Makes text safe inside a Markdown table cell (and in headings and list items): one line; no table,
 * link, image, HTML, entity, emphasis, strikethrough, code or list syntax; invisible characters shown
 * as `⟨U+XXXX⟩`. `max` truncates to that many code points first, so a mark is never cut in two.
 */
export function mdCell(text: string, max = 0): string {
  // Not \s: it matches U+FEFF, U+2028 and U+2029, which must stay to be shown.
  let s = text.replace(/[ \t]*[\r\n]+[ \t]*/g, ' ');
  if (max > 0 && Array.from(s).length > max) s = Array.from(s).slice(0, max).join('') + '…';
  // A tab too: a table trims it, and one leading a cell is how CSV injection starts.
  return breakAutolinks(
    showInvisible(s, '')
      .replace(/[\\`*_[\]()<>|#&~!]/g, '\\$&')
      .replace(/^(\s*\d+)([.)])(?=\s|$)/, '$1\\$2'),
  );
}

/**
 * Text that GFM would turn into a link (`http://…`, `www.…`, `name@host.tld`) with one character
 * escaped so it stays text: `http\://`, `www\.`, `name\@host`, which render as they were.
 */
function breakAutolinks(s: string): string {
  return s
    .replace(/([a-z][a-z0-9+.-]*):(?=\/\/)/gi, '$1\\:')
    .replace(/\b(www)\.(?=[^\s.])/gi, '$1\\.')
    .replace(/([a-z0-9._+-])@(?=[a-z0-9-]+\.)/gi, '$1\\@');
}

/** Inline code that survives any backticks inside (CommonMark: a longer fence, padded). */
function mdCode(text: string): string {
  const s = showInvisible(text.replace(/[\r\n]+/g, ' '), '').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

function windowText(g: GoneTargetEntry): string {
  if (g.lastAliveAt === null) return `never seen alive; first gone ${utcTime(g.goneAt) ?? '?'}`;
  return (
    `(${utcTime(g.lastAliveAt)}, ${utcTime(g.goneAt) ?? '?'}] · Beijing (${beijingTime(g.lastAliveAt)}, ${beijingTime(g.goneAt) ?? '?'}]` +
    (g.windowMs !== null ? ` · width ${formatDuration(g.windowMs)}` : '')
  );
}

function watchSection(out: string[], w: WatchReport): void {
  out.push(`## ${mdCell(w.name)} (${mdCode(w.id)})${w.isBaseline ? ' — baseline' : ''}`, '');
  out.push('| cause | gone posts | of them seen alive |', '|---|---:|---:|');
  for (const c of FINAL_OUTCOMES)
    out.push(`| ${c} | ${w.stats.goneByCause[c]} | ${w.stats.goneSeenAliveByCause[c]} |`);
  out.push('');
  out.push(`### Gone posts (${w.gone.length})`, '');
  if (w.gone.length === 0) out.push('None.', '');
  else {
    out.push(
      '| deletion window (last alive, first gone] UTC · Beijing | post | author | cause | notice | last alive text | evidence |',
      '|---|---|---|---|---|---|---|',
    );
    for (const g of w.gone) {
      const post = `${g.platform} ${mdCode(g.id)}${g.keywords.length ? ` (found by ${mdCell(g.keywords.join(', '))})` : ''}`;
      const evidence = `${g.evidenceSha256 ? `sha256 ${mdCode(g.evidenceSha256)}; ` : ''}${mdCode(g.bundleCommand)}`;
      out.push(
        `| ${mdCell(windowText(g))} | ${post} | ${mdCell(g.author ?? '—')} | ${g.cause ?? ''} | ${mdCell(g.notice ?? '—')} | ` +
          `${g.lastAliveText !== null ? mdCell(g.lastAliveText, 140) : '_never seen alive_'} | ${evidence} |`,
      );
    }
    out.push('');
  }
  if (w.edits.length > 0) {
    out.push(
      `### Edits (${w.edits.length})`,
      '',
      '| when (UTC) | post | change ([-removed-]{+added+}) |',
      '|---|---|---|',
    );
    for (const x of w.edits) {
      const diff =
        x.diffText ??
        (x.diff ?? [])
          .map((p) => (p.op === '=' ? p.text : p.op === '-' ? `[-${p.text}-]` : `{+${p.text}+}`))
          .join('');
      out.push(`| ${utcTime(x.at)} | ${x.platform} ${mdCode(x.id)} | ${mdCell(diff, 200)} |`);
    }
    out.push('');
  }
  if (w.keywords.length > 0) {
    out.push(
      '### Keyword searches',
      '',
      '| platform | keyword | last state | searches | blocked / unblocked (UTC) |',
      '|---|---|---|---:|---|',
    );
    for (const k of w.keywords) {
      const hist = k.transitions.map((t) => `${t.type.replace('search.', '')} ${utcTime(t.at)}`).join('; ');
      out.push(
        `| ${k.platform} | ${mdCell(k.keyword)} | ${k.state ?? 'n/a'}${k.blocked ? ' (blocked)' : ''} | ${k.searches} | ${mdCell(hist || 'no change')} |`,
      );
    }
    out.push('');
  }
  if (w.threads.length > 0) {
    out.push(
      `### Comment threads (${w.threads.length})`,
      '',
      '| thread | verdict | comments seen | comments gone |',
      '|---|---|---:|---|',
    );
    for (const t of w.threads) {
      const gone = t.goneComments.map(
        (c) => `${c.author ?? 'anonymous'}: ${c.text} (${utcTime(c.lastSeenAt)}, ${utcTime(c.goneAt)}]`,
      );
      out.push(
        `| ${t.platform} ${mdCode(t.id)} | ${t.verdict}${t.cause ? ` (${t.cause})` : ''}${t.closed.length ? `, closed ${t.closed.length}×` : ''} | ${t.comments} | ${mdCell(gone.join('; ') || 'none', 300)} |`,
      );
    }
    out.push('');
  }
}

/** The open watch problems, right after the notes: a gap in coverage is read before the figures. */
function problemsSection(out: string[], r: Report): void {
  if (r.problems.length === 0) return;
  out.push(`## Watch problems (${r.problems.length} open)`, '', PROBLEMS_NOTE, '');
  for (const p of r.problems) {
    out.push(
      `- **${mdCell(p.summary)}**, since ${utcTime(p.since)} (watch ${p.watches.map(mdCode).join(', ')})` +
        `${p.message ? `: ${mdCell(p.message, 300)}` : ''}. ${mdCell(p.hint)}.`,
    );
  }
  out.push('');
}

/** Renders a report as Markdown: key figures side by side, the comparison, then each watch. */
export function renderMarkdown(r: Report): string {
  const out: string[] = [];
  const topics = r.watches.filter((w) => !w.isBaseline);
  out.push(
    topics.length === 1 ? `# censorwatch report: ${mdCell(topics[0]!.name)}` : '# censorwatch report',
    '',
  );
  out.push(
    `Generated ${utcTime(r.generatedAt)}.${r.pseudonymized ? ' Author ids and names replaced by keyed hashes.' : ''}`,
  );
  const f = r.filter;
  if (f.since || f.until)
    out.push(`Posts first seen from ${f.since ?? 'the start'} until ${f.until ?? 'now'}.`);
  out.push('', `> ${r.notes.deletionWindow}`, '>', `> ${r.notes.censorship}`, '');
  problemsSection(out, r);

  out.push('## Key figures', '');
  out.push(
    `| measure | ${r.watches.map((w) => `${mdCell(w.name)}${w.isBaseline ? ' (baseline)' : ''}`).join(' | ')} |`,
  );
  out.push(`|---|${r.watches.map(() => '---').join('|')}|`);
  const rows = r.watches.map((w) => summaryRows(w.stats));
  rows[0]?.forEach(([label], i) =>
    // Our own figures, no platform text: shown as written, like the comparison rows below.
    out.push(`| ${label} | ${rows.map((x) => x[i]![1]).join(' | ')} |`),
  );
  out.push('');

  const compared = r.watches.filter((w) => w.comparison);
  if (compared.length) {
    out.push('## Against the baseline', '');
    for (const w of compared) {
      const c = w.comparison!;
      out.push(`### ${mdCell(w.name)} against ${mdCode(c.baselineWatch)}`, '');
      out.push(
        '| rate | topic | baseline | difference | ratio | test | p (one-sided) |',
        '|---|---|---|---|---|---|---|',
      );
      for (const row of comparisonRows(c))
        out.push(
          `| ${row.measure} | ${row.topic} | ${row.baseline} | ${row.difference} | ${row.ratio} | ${row.test} | ${row.p} |`,
        );
      out.push('', c.censorship.statement, '');
      if (c.sharedTargets > 0)
        out.push(
          `${plural(c.sharedTargets, 'post is', 'posts are')} in both watches, which makes the samples dependent.`,
          '',
        );
    }
  }
  for (const w of topics) watchSection(out, w);
  for (const w of r.watches.filter((x) => x.isBaseline)) watchSection(out, w);
  out.push('## Method', '');
  for (const n of r.notes.method) out.push(`- ${n}`);
  if (out.some((line) => line.includes('⟨U+'))) out.push(`- ${CODE_POINT_NOTE}`);
  out.push('');
  return out.join('\n');
}
