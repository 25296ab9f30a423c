import { plural } from '../../../src/report/format';

describe('plural', () => {
  it.each([
    [0, 'post', undefined, '0 posts'],
    [1, 'post', undefined, '1 post'],
    [2, 'post', undefined, '2 posts'],
    [1, 'comment thread', undefined, '1 comment thread'],
    [21, 'comment thread', undefined, '21 comment threads'],
    [1, 'post is', 'posts are', '1 post is'],
    [3, 'post is', 'posts are', '3 posts are'],
    [1, 'search', 'searches', '1 search'],
    [2, 'search', 'searches', '2 searches'],
  ])('%d %s', (n, one, many, out) => {
    expect(plural(n, one, many)).toBe(out);
  });
});
