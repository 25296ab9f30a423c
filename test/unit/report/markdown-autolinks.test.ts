import { mdCell } from '../../../src/report/markdown';

/** What CommonMark shows for escaped text: a backslash before ASCII punctuation goes, the character stays. */
const shown = (md: string): string => md.replace(/\\([!-/:-@[-`{-~])/g, '$1');

/**
 * Where GFM's extended autolinks start (`http://`, `https://`, `ftp://`, `www.`, an e-mail's `@`)
 * in Markdown source; an escaped character in their way keeps them text.
 */
const AUTOLINK = /(?<!\\)\b(?:https?|ftp):\/\/|(?<![\\\w])www\.(?=\w)|[\w.+-](?<!\\)@(?=[\w-]+\.)/i;

describe('mdCell keeps URLs and addresses in post text as text', () => {
  it.each([
    'see http://example.invalid/path?q=1 now',
    '转发 https://m.weibo.cn/detail/4990000000000101 原文',
    'mirror at ftp://files.example.invalid/a',
    '网址 www.example.invalid 和 WWW.Example.invalid',
    'write to someone@example.invalid please',
    '多个：http://a.invalid/ https://b.invalid/ www.c.invalid d@e.invalid',
  ])('%s', (text) => {
    const md = mdCell(text);
    expect(md).not.toMatch(AUTOLINK);
    expect(shown(md)).toBe(text);
  });

  it('leaves text without links as it was', () => {
    expect(mdCell('联合国大会表决 3.5 e.g. a:b @handle')).toBe('联合国大会表决 3.5 e.g. a:b @handle');
  });
});
