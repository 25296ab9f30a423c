import { rawPathAndQuery } from '../../../src/http/fetcher';

describe('rawPathAndQuery', () => {
  it.each([
    ['https://m.weibo.cn/statuses/show?id=4567', '/statuses/show?id=4567'],
    [
      'https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3Dx',
      '/api/container/getIndex?containerid=100103type%3D1%26q%3Dx',
    ],
    ['https://m.weibo.cn?x=1', '/?x=1'],
    ['https://m.weibo.cn', '/'],
    ['https://weibo.com/a/../b/./c?q=%7e#frag', '/a/../b/./c?q=%7e'],
    ['https://s.weibo.com/weibo?q=联合国', '/weibo?q=%E8%81%94%E5%90%88%E5%9B%BD'],
    ['https://www.163.com/search?keyword=a b', '/search?keyword=a%20b'],
    ['https://user:pw@www.163.com:8443/x', '/x'],
  ])('%s → %s', (url, expected) => {
    expect(rawPathAndQuery(url)).toBe(expected);
  });
});
