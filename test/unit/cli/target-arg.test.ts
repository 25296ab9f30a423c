import { parseTargetArg } from '../../../src/cli/commands/evidence';
import { ConfigError } from '../../../src/errors';

/**
 * `evidence --target` and `show` take a post the way the config's `posts` and `articles` lists do:
 * the database keys Weibo posts by mid and NetEase articles by upper-case DOCID, so a bid or a URL
 * taken as is would be "no target" for a post that is there.
 */
describe('parseTargetArg', () => {
  const post = (platform: string, id: string): object => ({ platform, kind: 'post', id });

  it.each([
    ['weibo:4607741009594608', post('weibo', '4607741009594608')],
    // A bid (research §1.7 pair) is the mid the database holds.
    ['weibo:K3fnuEfZK', post('weibo', '4607741009594608')],
    ['weibo:post:K3fnuEfZK', post('weibo', '4607741009594608')],
    ['https://m.weibo.cn/status/K3fnuEfZK', post('weibo', '4607741009594608')],
    ['https://weibo.com/5600000001/K3fnuEfZK?from=page#comments', post('weibo', '4607741009594608')],
    ['m.weibo.cn/detail/4607741009594608', post('weibo', '4607741009594608')],
    ['4607741009594608', post('weibo', '4607741009594608')],
    ['netease:hvq2k6at000189fh', post('netease', 'HVQ2K6AT000189FH')],
    ['https://www.163.com/dy/article/HVQ2K6AT0519D5FH.html', post('netease', 'HVQ2K6AT0519D5FH')],
    ['https://m.163.com/news/article/HVQ2K6AT000189FI.html', post('netease', 'HVQ2K6AT000189FI')],
  ])('%s', (arg, ref) => {
    expect(parseTargetArg(arg)).toEqual(ref);
  });

  it('keeps a thread a thread, keyed by its post', () => {
    expect(parseTargetArg('weibo:thread:K3fnuEfZK')).toEqual({
      platform: 'weibo',
      kind: 'thread',
      id: '4607741009594608',
    });
  });

  it('keeps an id it cannot resolve as given, for the store to say it has no such target', () => {
    expect(parseTargetArg('weibo:12345')).toEqual(post('weibo', '12345'));
  });

  it('refuses anything else naming the flag', () => {
    let err: unknown;
    try {
      parseTargetArg('https://example.org/x', '--target');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([
      {
        path: '--target',
        message:
          'expected PLATFORM:ID such as weibo:4895123456789012, or a post or article URL, got "https://example.org/x"',
      },
    ]);
  });
});
