import post2020 from './templates/post2020.json';

/**
 * Page templates of the simulated NetEase, kept as data in templates/*.json (an array of lines, so
 * a template diffs line by line against the capture it came from, named in its `source`).
 *
 * {@link POST2020_TEMPLATE} is the real captured article page
 * (test/fixtures/reference/netease/article_news_KC12OUHK000189FH.trimmed.html) with its values
 * replaced by `{{placeholders}}`: title, times, category, URLs, crumb channel, 来源, IP属地, the
 * body, the author block, docId and productKey. The trimmed-copy comments became the site
 * navigation and the `div#contain` wrapper that 网易号 pages carry, a `{{metaCharset}}` slot opens
 * the head for GBK copies, and the capture's `noindex` test-article marker was dropped. Everything
 * else is the capture as served; the conformance tests check each line without a placeholder
 * against the capture.
 */

/** A page template as stored: the capture it came from, and its lines. */
export interface PageTemplate {
  /** Repository path of the capture the template was taken from. */
  readonly source: string;
  readonly lines: readonly string[];
}

/** Fills `{{name}}` placeholders; a placeholder without a value is a simulator bug. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`template value {{${name}}} missing`);
    return v;
  });
}

/** The post2020 template as stored. */
export const POST2020: PageTemplate = post2020;

/** The post2020 article page, from the reference capture. */
export const POST2020_TEMPLATE = POST2020.lines.join('\n');
