import {
  resolveWeiboTarget,
  resolveWeiboUid,
  profileUrl,
  searchRefererUrl,
  searchUrl,
  statusExtendUrl,
  statusShowUrl,
  timelineUrl,
  weiboPostUrl,
} from '../../../src/platforms/weibo/urls';
import { sampleJson } from './helpers';

const MID = '4383411844046171';
const BID = 'HyZVegYAP';
const post = (id: string) => ({ platform: 'weibo', kind: 'post', id });

describe('resolveWeiboTarget', () => {
  test.each([
    ['m.weibo.cn/detail with scheme', `https://m.weibo.cn/detail/${MID}`],
    ['m.weibo.cn/detail without scheme', `m.weibo.cn/detail/${MID}`],
    [
      'm.weibo.cn/detail with query and fragment',
      `https://m.weibo.cn/detail/${MID}?sudaref=weibo.com&display=0#comment`,
    ],
    ['m.weibo.cn/status/<bid>', `https://m.weibo.cn/status/${BID}`],
    [
      'm.weibo.cn/status/<bid> with the card scheme query',
      `https://m.weibo.cn/status/${BID}?mblogid=${BID}&luicode=10000011&lfid=1076031669879400`,
    ],
    ['m.weibo.cn/status/<mid>', `http://m.weibo.cn/status/${MID}`],
    ['weibo.com/<uid>/<bid>', `https://weibo.com/5973737418/${BID}`],
    ['www.weibo.com/<uid>/<bid> without scheme', `www.weibo.com/5973737418/${BID}?type=comment`],
    ['weibo.com/<uid>/<mid>', `https://weibo.com/5973737418/${MID}`],
    ['weibo.com/detail/<mid>', `https://weibo.com/detail/${MID}`],
    ['m.weibo.cn/<uid>/<mid>', `https://m.weibo.cn/5973737418/${MID}`],
    ['bare mid', MID],
    ['bare mid with spaces around', `  ${MID} `],
    ['bare bid', BID],
  ])('%s → the mid', (_name, input) => {
    expect(resolveWeiboTarget(input)).toEqual(post(MID));
  });

  test('a modern bid without digits (QdGSDbsQI) converts', () => {
    expect(resolveWeiboTarget('QdGSDbsQI')?.id).toBe('5232630992732508');
  });

  test.each([
    ['empty', ''],
    ['a profile URL', 'https://weibo.com/u/5973737418'],
    ['an m.weibo.cn profile', 'https://m.weibo.cn/profile/5973737418'],
    ['another host', `https://example.com/detail/${MID}`],
    ['a NetEase article', 'https://www.163.com/dy/article/ABCDEF12345678.html'],
    ['a bare uid (10 digits) is not a post', '5973737418'],
    ['a search page', 'https://m.weibo.cn/search?containerid=100103type%3D1'],
    ['punctuation', 'HyZV-egYAP'],
  ])('%s → null', (_name, input) => {
    expect(resolveWeiboTarget(input)).toBeNull();
  });
});

describe('resolveWeiboUid', () => {
  test.each([
    ['numeric uid', '1669879400'],
    ['weibo.com/u/<uid>', 'https://weibo.com/u/1669879400'],
    ['m.weibo.cn/u/<uid> with query', 'https://m.weibo.cn/u/1669879400?uid=1669879400&luicode=10000011'],
    ['m.weibo.cn/profile/<uid> without scheme', 'm.weibo.cn/profile/1669879400'],
    ['weibo.com/<uid>', 'https://weibo.com/1669879400'],
  ])('%s', (_name, input) => {
    expect(resolveWeiboUid(input)).toBe('1669879400');
  });
  test.each([
    ['screen name', 'Dear-迪丽热巴'],
    ['custom domain', 'https://weibo.com/n/someone'],
    ['post URL', `https://weibo.com/1669879400/${BID}`],
  ])('%s → null', (_name, input) => {
    expect(resolveWeiboUid(input)).toBeNull();
  });
});

describe('endpoint URLs', () => {
  test('statuses/show, statuses/extend and the post URL', () => {
    expect(statusShowUrl(MID)).toBe(`https://m.weibo.cn/statuses/show?id=${MID}`);
    expect(statusExtendUrl(MID)).toBe(`https://m.weibo.cn/statuses/extend?id=${MID}`);
    expect(weiboPostUrl(MID)).toBe(`https://m.weibo.cn/detail/${MID}`);
  });

  test('search getIndex encodes the container id once, keyword included', () => {
    expect(searchUrl('联合国 决议', 2, 61)).toBe(
      'https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D61%26q%3D%E8%81%94%E5%90%88%E5%9B%BD%20%E5%86%B3%E8%AE%AE&page_type=searchall&page=2',
    );
    expect(searchUrl('abc')).toBe(
      'https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3Dabc&page_type=searchall&page=1',
    );
    const u = new URL(searchUrl('a&b=c'));
    expect(u.searchParams.get('containerid')).toBe('100103type=1&q=a&b=c');
    expect(searchRefererUrl('abc')).toBe(
      'https://m.weibo.cn/p/searchall?containerid=100103type%3D1%26q%3Dabc',
    );
  });

  test('timeline and profile containers; the timeline id matches the profile sample weibo tab', () => {
    expect(timelineUrl('1669879400')).toBe(
      'https://m.weibo.cn/api/container/getIndex?containerid=1076031669879400',
    );
    expect(timelineUrl('1669879400', '4383183661430868')).toBe(
      'https://m.weibo.cn/api/container/getIndex?containerid=1076031669879400&since_id=4383183661430868',
    );
    expect(profileUrl('1669879400')).toBe(
      'https://m.weibo.cn/api/container/getIndex?containerid=1005051669879400',
    );
    // m_getIndex_profile_100505_2019.json: the weibo tab names the 107603<uid> container.
    const profile = sampleJson<{
      data: { tabsInfo: { tabs: Array<{ tab_type: string; containerid: string }> } };
    }>('m_getIndex_profile_100505_2019.json');
    const weiboTab = profile.data.tabsInfo.tabs.find((t) => t.tab_type === 'weibo');
    expect(new URL(timelineUrl('1669879400')).searchParams.get('containerid')).toBe(weiboTab?.containerid);
  });
});
