import { NETEASE_CORPUS as N } from './corpus';
import { makeDocidFactory } from './ids';
import { SECOND } from './time';
import { QUICK_ACCOUNT, QUICK_NETEASE_KEYWORD } from './quick';
import { NETEASE_PAGE_KINDS, type SimNetease, type SimNeteaseArticle } from './netease-types';

/**
 * A NetEase part for exercising templates and odd pages, on the `quick` scenario's keyword and
 * 网易号 (so its watches find them): one article per non-default template, one per odd page kind
 * (each served from 4 s to 9 s after the start, alive before and after), a legacy article whose
 * comments arrive while it is checked, and one mobile article removed by HTTP 404.
 */
export function buildTemplatesNetease(start: number): SimNetease {
  const newDocid = makeDocidFactory();
  const s = (sec: number): number => start + Math.round(sec * SECOND);
  const account = QUICK_ACCOUNT;
  const news = (
    i: number,
    channel: string,
    at: number,
    extra: Partial<SimNeteaseArticle>,
  ): SimNeteaseArticle => ({
    docid: newDocid(at, `0001${channel === 'news' ? '89' : '87'}T${i}`),
    channel,
    title: `【${QUICK_NETEASE_KEYWORD}】${N.newsTitles[i % N.newsTitles.length]!}`,
    paragraphs: [...N.topicParagraphs.slice(i % 4, (i % 4) + 3)],
    images: 1,
    source: N.newsSources[i % N.newsSources.length]!,
    region: N.regions[i % N.regions.length]!,
    editor: N.editors[i % N.editors.length]!,
    createdAt: at,
    keywords: [QUICK_NETEASE_KEYWORD],
    ...extra,
  });
  const articles: SimNeteaseArticle[] = [
    news(0, 'news', s(0.2), { template: 'mobile', comments: 6, commentSpread: 9 * SECOND }),
    news(1, 'money', s(0.4), {
      template: 'legacy',
      charset: 'gbk',
      comments: 20,
      commentSpread: 12 * SECOND,
    }),
    news(2, 'news', s(0.6), { template: 'legacy', comments: 8, commentSpread: 10 * SECOND }),
    news(3, 'news', s(0.8), { template: 'mobile', fate: { at: s(6), removal: 'http404' } }),
    ...NETEASE_PAGE_KINDS.map((kind, k) =>
      news(4 + k, k % 2 === 0 ? 'news' : 'world', s(1 + k * 0.2), {
        pages: [{ from: s(4), until: s(9), kind }],
      }),
    ),
    {
      docid: newDocid(s(0.3), '0553QUIK'),
      channel: 'dy',
      title: `${N.accountTitles[0]!}（v2）`,
      paragraphs: [...N.topicParagraphs.slice(0, 4)],
      images: 1,
      source: account.name,
      region: '浙江',
      createdAt: s(0.3),
      keywords: [],
      account: account.tid,
      template: 'dy-v2',
    },
  ];
  return { accounts: [account], articles: articles.sort((a, b) => a.createdAt - b.createdAt) };
}
