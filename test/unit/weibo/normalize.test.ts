import {
  htmlToText,
  mblogEditCount,
  mblogMedia,
  mblogRegion,
  normalizeMblog,
  parseCount,
  parseCreatedAt,
  withLongText,
} from '../../../src/platforms/weibo/normalize';
import { AT_2019, sampleJson } from './helpers';

// 2024-03-10 09:30 China time (01:30 UTC).
const AT = Date.UTC(2024, 2, 10, 1, 30, 0);

describe('parseCreatedAt', () => {
  test.each([
    ['full form from statuses/show', 'Sat Jun 15 11:44:46 +0800 2019', '2019-06-15T03:44:46.000Z'],
    ['full form from weibo.com/ajax', 'Tue Feb 23 12:28:47 +0800 2021', '2021-02-23T04:28:47.000Z'],
    ['full form with another offset', 'Mon Jan 01 00:00:00 +0000 2024', '2024-01-01T00:00:00.000Z'],
    ['刚刚 is the observation time', '刚刚', '2024-03-10T01:30:00.000Z'],
    ['N分钟前', '5分钟前', '2024-03-10T01:25:00.000Z'],
    ['N小时前', '3小时前', '2024-03-09T22:30:00.000Z'],
    ['N秒前', '30秒前', '2024-03-10T01:29:30.000Z'],
    ['昨天 HH:MM in China time', '昨天 23:15', '2024-03-09T15:15:00.000Z'],
    ['今天 HH:MM', '今天 08:01', '2024-03-10T00:01:00.000Z'],
    ['MM-DD is this year, midnight China time', '03-09', '2024-03-08T16:00:00.000Z'],
    ['MM-DD after today belongs to last year', '12-31', '2023-12-30T16:00:00.000Z'],
    ['YYYY-MM-DD (placeholder sample 2010-06-18)', '2010-06-18', '2010-06-17T16:00:00.000Z'],
    ['YYYY-MM-DD HH:MM', '2023-06-01 12:30', '2023-06-01T04:30:00.000Z'],
  ])('%s: %s', (_name, input, iso) => {
    expect(parseCreatedAt(input, AT)).toBe(iso);
  });

  test('昨天 just after midnight China time is the China yesterday, not the UTC one', () => {
    // 2024-03-10 00:10 China time = 2024-03-09 16:10 UTC.
    const at = Date.UTC(2024, 2, 9, 16, 10);
    expect(parseCreatedAt('昨天 10:00', at)).toBe('2024-03-09T02:00:00.000Z');
  });

  test('unknown forms and non-strings → null', () => {
    expect(parseCreatedAt('sometime', AT)).toBeNull();
    expect(parseCreatedAt(undefined, AT)).toBeNull();
    expect(parseCreatedAt('', AT)).toBeNull();
  });

  test('times are written exactly as Date.toISOString writes them, across its whole range', () => {
    // Epoch ms (≥ 1e12) pass as they are; smaller numbers are epoch seconds.
    const asDate = (n: number): string => new Date(n < 1e12 ? n * 1000 : n).toISOString();
    const edges = [
      1e12, 8.64e15, -8.64e12, 0, -0.5, -1.7, 1.5, 1.999, -1, 951_782_400, 951_868_800, 4_107_542_400,
      // The last instant of 9999 and the first of 10000 (written +010000), the first of year 0 and the one before it.
      253_402_300_799_999,
      253_402_300_800_000, -62_167_219_200, -62_167_219_200.001, -62_167_219_201,
      // Year 0999 (padded) and -000001.
      -30_610_224_000, -62_198_755_200,
    ];
    for (const n of edges) expect([n, parseCreatedAt(n, AT)]).toEqual([n, asDate(n)]);
    const seed = 20231203;
    let x = seed;
    const random = (): number => {
      x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
      return x / 2_147_483_648;
    };
    const wrong: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const ms = 1e12 + Math.floor(random() * 2.6e14);
      const seconds = -Math.floor(random() * 6.3e10) / (i % 2 === 0 ? 1 : 7);
      for (const n of [ms, seconds]) if (parseCreatedAt(n, AT) !== asDate(n)) wrong.push(n);
    }
    expect({ seed, wrong: wrong.slice(0, 5) }).toEqual({ seed, wrong: [] });
    expect(parseCreatedAt(8.64e15 + 1, AT)).toBeNull();
  });
});

describe('parseCount', () => {
  test.each([
    [240492, 240492],
    ['1234', 1234],
    ['1,234', 1234],
    ['1.2万', 12000],
    ['3.2万', 32000],
    ['1万+', 10000],
    ['100万+', 1000000],
    ['1.1亿', 110000000],
    ['178.2万', 1782000],
    ['0', 0],
  ])('%p → %p', (input, n) => {
    expect(parseCount(input)).toBe(n);
  });
  test.each([['转发'], [''], [null], [undefined], [-1], ['abc万']])('%p → null', (input) => {
    expect(parseCount(input)).toBeNull();
  });
});

describe('htmlToText', () => {
  test('emoji img alt (unquoted, as m.weibo.cn sends it), links, br and entities', () => {
    const html =
      '早安<span class="url-icon"><img alt=[偷笑] src="//h5.sinaimg.cn/x.png" style="width:1em; height:1em;" /></span><br />' +
      '<a href="https://m.weibo.cn/search?containerid=231522"><span class="surl-text">#话题#</span></a> &amp; &lt;b&gt; &quot;q&quot; &#20320;&#x597D;<br/>end\u200b\u200b ';
    expect(htmlToText(html)).toBe('早安[偷笑]\n#话题# & <b> "q" 你好\nend');
  });
  test('quoted alt and an icon img without alt (dropped)', () => {
    expect(
      htmlToText(
        `<img alt="[doge]" src="x"><img style='width: 1rem' src='//h5.sinaimg.cn/icon.png'> 网页链接`,
      ),
    ).toBe('[doge] 网页链接');
  });
  test.each([
    [
      'a plain text: only its padding goes',
      '刚看到新闻，转发留存。\u200b \n第二行\u00a0\t',
      '刚看到新闻，转发留存。\n第二行',
    ],
    [
      'references without a tag are decoded',
      'A &amp; B &lt;i&gt; &#x1F600; &copy &#20320;',
      'A & B <i> 😀 © 你',
    ],
    ['tags without a reference are dropped', '一<br>二<a href="/n/x">@x</a><!-- c -->三', '一\n二@x三'],
    [
      'an escaped tag in an alt stays text, decoded once',
      '<img alt="&lt;b&gt;" src="x"><img alt="a<b>">',
      '<b>a<b>',
    ],
    ['a lone < or > is no tag', '1 < 2 > 0', '1 < 2 > 0'],
  ])('%s', (_name, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe('mblog fields', () => {
  test('pics as an object keyed "0","1" keeps order and prefers large', () => {
    const media = mblogMedia({
      pics: {
        '1': {
          url: 'https://wx1.sinaimg.cn/orj360/b.jpg',
          large: { url: 'https://wx1.sinaimg.cn/large/b.jpg' },
        },
        '0': { url: 'https://wx1.sinaimg.cn/orj360/a.jpg' },
      },
    });
    expect(media).toEqual(['https://wx1.sinaimg.cn/orj360/a.jpg', 'https://wx1.sinaimg.cn/large/b.jpg']);
  });
  test('weibo.com/ajax pic_ids + pic_infos prefer the largest size', () => {
    expect(
      mblogMedia({ pic_ids: ['p1'], pic_infos: { p1: { large: { url: 'L' }, largest: { url: 'XL' } } } }),
    ).toEqual(['XL']);
  });
  test('video page_info gives the stable h5 URL, not the expiring stream URL', () => {
    expect(
      mblogMedia({
        page_info: {
          type: 'video',
          page_url: 'https://m.weibo.cn/p/index?containerid=1&luicode=1',
          media_info: {
            h5_url: 'https://video.weibo.com/show?fid=1034:1',
            stream_url: 'https://f.us.sinaimg.cn/x.mp4?Expires=1',
          },
        },
      }),
    ).toEqual(['https://video.weibo.com/show?fid=1034:1']);
    expect(
      mblogMedia({
        page_info: { type: 'article', page_url: 'https://m.weibo.cn/p/article?id=9&luicode=10000011&lfid=1' },
      }),
    ).toEqual(['https://m.weibo.cn/p/article?id=9']);
  });
  test('edit count: edit_count, else edit_config.edited, else null', () => {
    expect(mblogEditCount({ edit_count: 3, edit_config: { edited: true } })).toBe(3);
    expect(mblogEditCount({ edit_config: { edited: true } })).toBe(1);
    expect(mblogEditCount({ edit_config: { edited: false } })).toBe(0);
    expect(mblogEditCount({})).toBeNull();
  });
  test('region_name "发布于 安徽" → 安徽', () => {
    expect(mblogRegion({ region_name: '发布于 安徽' })).toBe('安徽');
    expect(mblogRegion({ region_name: '发布于 美国 加利福尼亚' })).toBe('加利福尼亚');
    expect(mblogRegion({})).toBeNull();
  });
  test('ids are strings: mid first, then idstr, then a numeric id', () => {
    expect(
      normalizeMblog({ id: 4383411844046171, text: 'x', user: { id: 1, screen_name: 'n' } }, AT)?.author,
    ).toEqual({ id: '1', name: 'n' });
    expect(normalizeMblog({ id: 4383411844046171, text: 'x' }, AT)).not.toBeNull();
    expect(normalizeMblog({ text: 'no id' }, AT)).toBeNull();
    expect(normalizeMblog({ mid: '1', idstr: '2' }, AT)).toBeNull();
  });
  test('a truncated text drops its 全文 link from the plain text and is marked truncated', () => {
    const c = normalizeMblog(
      { mid: '1', isLongText: true, text: '开头 ...<a href="/status/1">全文</a>' },
      AT,
    );
    expect(c?.truncated).toBe(true);
    expect(c?.text).toBe('开头 ...');
    const long = c && withLongText(c, '开头<br />结尾', { likes: 5 });
    expect(long?.text).toBe('开头\n结尾');
    expect(long?.truncated).toBe(false);
    expect(long?.counts.likes).toBe(5);
  });
});

describe('timeline sample m_getIndex_timeline_107603_2019_first3cards.json', () => {
  type Cards = { data: { cards: Array<{ mblog: Record<string, unknown> }> } };
  const cards = sampleJson<Cards>('m_getIndex_timeline_107603_2019_first3cards.json').data.cards;

  test('card 1: three pictures, emoji alt text, short date, counts, edit_config', () => {
    const c = normalizeMblog(cards[0]!.mblog, AT_2019);
    expect(c).toMatchObject({
      text: '搬完这块砖，就可以吃好吃的了[偷笑][偷笑][偷笑]',
      author: { id: '1669879400', name: 'Dear-迪丽热巴' },
      createdAt: '2019-06-13T16:00:00.000Z',
      counts: { reposts: 240492, comments: 95535, likes: 348872 },
      repostOf: null,
      editCount: 0,
      truncated: false,
    });
    expect(c?.media).toEqual([
      'https://wx3.sinaimg.cn/large/63885668gy1g40ypljwzvj20o70v379u.jpg',
      'https://wx4.sinaimg.cn/large/63885668gy1g40ysojhntj22b52b51kz.jpg',
      'https://wx1.sinaimg.cn/large/63885668gy1g40ypkrjlaj20v8168gzf.jpg',
    ]);
  });
  test('card 2: a repost of 4383031864995274', () => {
    const c = normalizeMblog(cards[1]!.mblog, AT_2019);
    expect(c?.repostOf).toBe('4383031864995274');
    expect(c?.text).toBe('大家一起电影院约起来啊～～～');
    expect(c?.media).toEqual([]);
  });
  test('card 3: a video post', () => {
    const c = normalizeMblog(cards[2]!.mblog, AT_2019);
    expect(c?.createdAt).toBe('2019-06-10T16:00:00.000Z');
    expect(c?.text).toBe('#不潮不出街#悠闲下午时光～ Dear-迪丽热巴的秒拍视频');
    expect(c?.media).toEqual(['https://video.weibo.com/show?fid=1034:4382054524348434']);
  });
});
