import { fullCreatedAt, renderText, shortCreatedAt } from '../../../src/sim';

// 2019-06-15 11:44:46 in China is 03:44:46 UTC (the reference show sample's created_at).
const SAMPLE = Date.UTC(2019, 5, 15, 3, 44, 46);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('Weibo time and text formats', () => {
  it('writes the full created_at form in China time', () => {
    expect(fullCreatedAt(SAMPLE)).toBe('Sat Jun 15 11:44:46 +0800 2019');
    // 23:30 UTC is already the next day in China.
    expect(fullCreatedAt(Date.UTC(2023, 3, 26, 23, 30, 5))).toBe('Thu Apr 27 07:30:05 +0800 2023');
  });

  it('writes the short list forms relative to now, by China calendar days', () => {
    expect(shortCreatedAt(SAMPLE, SAMPLE + 30_000)).toBe('刚刚');
    expect(shortCreatedAt(SAMPLE, SAMPLE + 59 * MIN)).toBe('59分钟前');
    expect(shortCreatedAt(SAMPLE, SAMPLE + 5 * HOUR)).toBe('5小时前');
    // Created 11:44 China time; 13 h later is 00:44 the next China day.
    expect(shortCreatedAt(SAMPLE, SAMPLE + 13 * HOUR)).toBe('昨天 11:44');
    expect(shortCreatedAt(SAMPLE, SAMPLE + 3 * 24 * HOUR)).toBe('06-15');
    expect(shortCreatedAt(SAMPLE, SAMPLE + 365 * 24 * HOUR)).toBe('2019-06-15');
  });

  it('renders topics, emoji, mentions and line breaks as m.weibo.cn HTML', () => {
    const html = renderText('看看 #联合国大会# [思考]\n@老王看世界 a<b');
    expect(html).toContain('<span class="surl-text">#联合国大会#</span></a>');
    expect(html).toContain('<img alt=[思考] src="//h5.sinaimg.cn/m/emoticon/icon/');
    expect(html).toContain("<a href='/n/老王看世界'>@老王看世界</a>");
    expect(html).toContain('<br />');
    expect(html).toContain('a&lt;b');
  });
});
