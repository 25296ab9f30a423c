import {
  docidFromUrl,
  neteaseAccountListUrl,
  neteaseArticleUrl,
  neteaseCommentListUrl,
  neteaseSearchUrl,
  neteaseThreadInfoUrl,
  parseNeteaseAccount,
  resolveNeteaseTarget,
} from '../../../src/platforms/netease/urls';

describe('resolveNeteaseTarget: every article form normalizes to one DOCID', () => {
  const forms: readonly [string, string][] = [
    ['https://www.163.com/news/article/KC12OUHK000189FH.html', 'KC12OUHK000189FH'],
    ['http://www.163.com/news/article/KC12OUHK000189FH.html?spss=adap_pc#x', 'KC12OUHK000189FH'],
    ['www.163.com/news/article/KC12OUHK000189FH.html', 'KC12OUHK000189FH'],
    ['//www.163.com/news/article/KC12OUHK000189FH_pa11y.html', 'KC12OUHK000189FH'],
    ['https://www.163.com/news/article/KC12OUHK000189FH_0.html', 'KC12OUHK000189FH'],
    ['https://www.163.com/dy/article/EAUJCTQV05346RBY.html', 'EAUJCTQV05346RBY'],
    ['https://www.163.com/sports/article/G1234ABC00058780.html', 'G1234ABC00058780'],
    ['http://news.163.com/15/0829/19/B2766VLV0001124J.html', 'B2766VLV0001124J'],
    ['https://gov.163.com/20/0609/09/FELUD835002398HK.html', 'FELUD835002398HK'],
    ['https://money.163.com/special/20/0609/09/FELUD835002398HK_2.html', 'FELUD835002398HK'],
    ['https://m.163.com/news/article/KC12OUHK000189FH.html?spss=adap_pc', 'KC12OUHK000189FH'],
    ['https://m.163.com/local/article/KC12OUHK000189FH.html', 'KC12OUHK000189FH'],
    ['https://m.163.com/touch/article.html?docid=KC12OUHK000189FH&spss=adap_pc', 'KC12OUHK000189FH'],
    ['https://3g.163.com/news/article/KC12OUHK000189FH.html', 'KC12OUHK000189FH'],
    ['https://3g.163.com/dy/article/EAUJCTQV05346RBY.html', 'EAUJCTQV05346RBY'],
    ['https://c.m.163.com/news/a/KC12OUHK000189FH.html?spss=newsapp&spsw=1', 'KC12OUHK000189FH'],
    ['http://c.m.163.com/nc/article/KC12OUHK000189FH/full.html', 'KC12OUHK000189FH'],
    ['http://dy.163.com/v2/article/detail/EAUJCTQV05346RBY.html', 'EAUJCTQV05346RBY'],
    ['http://comment.tie.163.com/KC12OUHK000189FH.html', 'KC12OUHK000189FH'],
    ['KC12OUHK000189FH', 'KC12OUHK000189FH'],
    ['  kc12ouhk000189fh  ', 'KC12OUHK000189FH'],
    ['KC12OUHK000189FH_2', 'KC12OUHK000189FH'],
  ];
  it.each(forms)('%s', (input, id) => {
    expect(resolveNeteaseTarget(input)).toEqual({ platform: 'netease', kind: 'post', id });
  });

  it.each([
    'https://weibo.com/1234567890/MtQ3d2Kd8',
    '4567890123456789', // 16 digits: a Weibo mid, not a DOCID
    'https://www.163.com/dy/media/T1555591616739.html',
    'https://news.163.com/special/0001386F/rank_whole.html',
    'https://www.163.com/',
    'https://example.com/news/article/KC12OUHK000189FH.html',
    'KC12OUHK000189F',
    'not a url at all',
    '',
  ])('rejects %s', (input) => {
    expect(resolveNeteaseTarget(input)).toBeNull();
  });

  it('reads the DOCID of a redirect target but not of a channel page', () => {
    expect(docidFromUrl('https://www.163.com/dy/article/KC12OUHK000189FH.html')).toBe('KC12OUHK000189FH');
    expect(docidFromUrl('https://news.163.com/')).toBeNull();
  });
});

describe('endpoint builders', () => {
  it('builds the canonical article URL', () => {
    expect(neteaseArticleUrl('KC12OUHK000189FH')).toBe(
      'https://www.163.com/news/article/KC12OUHK000189FH.html',
    );
    expect(neteaseArticleUrl('EAUJCTQV05346RBY', 'dy')).toBe(
      'https://www.163.com/dy/article/EAUJCTQV05346RBY.html',
    );
  });

  it('builds list.do, search and comment URLs', () => {
    expect(neteaseAccountListUrl('W4983108759592548559', 1)).toBe(
      'https://dy.163.com/v2/article/list.do?pageNo=1&wemediaId=W4983108759592548559&size=10',
    );
    expect(neteaseSearchUrl('联合国 决议')).toBe(
      'https://www.163.com/search?keyword=%E8%81%94%E5%90%88%E5%9B%BD%20%E5%86%B3%E8%AE%AE',
    );
    expect(neteaseThreadInfoUrl('CG212U73008535RB')).toBe(
      'https://comment.api.163.com/api/v1/products/a2869674571f77b5a0867c3d71db5856/threads/CG212U73008535RB',
    );
    const u = new URL(neteaseCommentListUrl('EAUJCTQV05346RBY', 'hot', { offset: 30, limit: 30 }));
    expect(u.pathname).toBe(
      '/api/v1/products/a2869674571f77b5a0867c3d71db5856/threads/EAUJCTQV05346RBY/comments/hotList',
    );
    expect(u.searchParams.get('offset')).toBe('30');
    expect(u.searchParams.get('limit')).toBe('30');
    expect(u.searchParams.get('callback')).toBeNull();
    expect(neteaseCommentListUrl('EAUJCTQV05346RBY', 'new')).toContain('/comments/newList?');
  });
});

describe('parseNeteaseAccount', () => {
  it.each([
    ['https://www.163.com/dy/media/T1555591616739.html', { kind: 'tid', tid: 'T1555591616739' }],
    ['T1438163433635', { kind: 'tid', tid: 'T1438163433635' }],
    ['W4983108759592548559', { kind: 'wemedia', wemediaId: 'W4983108759592548559' }],
    ['https://www.163.com/dy/article/EAUJCTQV05346RBY.html', { kind: 'article', docid: 'EAUJCTQV05346RBY' }],
    ['张佳栋看世界', { kind: 'name', name: '张佳栋看世界' }],
  ])('%s', (input, ref) => {
    expect(parseNeteaseAccount(input)).toEqual(ref);
  });
});
