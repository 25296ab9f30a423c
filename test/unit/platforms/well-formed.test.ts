import type { Observation } from '../../../src/domain/glossary';
import { wellFormed, wellFormedListing } from '../../../src/platforms/well-formed';

/** Half of 😀 (U+D83D U+DE00), as a post cut mid-emoji carries it, and its other half alone. */
const HIGH = '\ud83d';
const LOW = '\ude00';

const observation = (text: string, body: Buffer, ill = ''): Observation => ({
  target: { platform: 'weibo', kind: 'post', id: '4990000000000101' },
  at: 0,
  endpoint: 'm.statuses.show',
  outcome: 'alive',
  message: `该微博已被删除${ill}`,
  content: {
    html: text,
    text,
    author: { id: '1', name: `名字${ill}` },
    createdAt: null,
    counts: { reposts: null, comments: null, likes: null },
    media: [`https://wx1.sinaimg.cn/large/x.jpg`],
    repostOf: null,
    editCount: null,
  },
  evidence: {
    url: 'https://m.weibo.cn/x',
    finalUrl: 'https://m.weibo.cn/x',
    status: 200,
    contentType: null,
    body,
  },
});

describe('wellFormed', () => {
  it('replaces each lone surrogate with U+FFFD and keeps pairs', () => {
    expect(wellFormed(`a${HIGH}b${LOW}c😀${HIGH}`)).toBe('a\ufffdb\ufffdc😀\ufffd');
  });

  it('returns the very same value when nothing is ill-formed', () => {
    const o = observation('一切正常 😀', Buffer.from('{}'));
    expect(wellFormed(o)).toBe(o);
    expect(wellFormed(o.content)).toBe(o.content);
  });

  it('mends text, author and notice at any depth and leaves the raw evidence as it came', () => {
    const body = Buffer.from(JSON.stringify({ text: `结果${HIGH}` }));
    const raw = Buffer.from(body);
    const o = observation(`结果${HIGH}`, body, LOW);
    const w = wellFormed(o);
    expect(w).not.toBe(o);
    expect(w.content?.text).toBe('结果\ufffd');
    expect(w.content?.html).toBe('结果\ufffd');
    expect(w.content?.author?.name).toBe('名字\ufffd');
    expect(w.message).toBe('该微博已被删除\ufffd');
    expect(w.evidence).toBe(o.evidence);
    expect(w.evidence?.body.equals(raw)).toBe(true);
    expect(w.content?.media).toBe(o.content?.media);
    // The input is not changed in place.
    expect(o.content?.text).toBe(`结果${HIGH}`);
  });

  it("mends a listing's notice, unread lines, observations and object keys", () => {
    const o = observation('ok', Buffer.alloc(0), HIGH);
    const l = wellFormedListing({
      outcome: 'withheld',
      message: `根据相关法律法规和政策，搜索结果未予显示${HIGH}`,
      unread: [`card ${LOW}`],
      observations: [o, { ...o, comments: { items: [], complete: true, flags: { [`web${HIGH}`]: true } } }],
      nextCursor: null,
    });
    expect(l.message).toBe('根据相关法律法规和政策，搜索结果未予显示\ufffd');
    expect(l.unread).toEqual(['card \ufffd']);
    expect(l.observations[0]!.message).toBe('该微博已被删除\ufffd');
    expect(l.observations[0]!.content?.author?.name).toBe('名字\ufffd');
    expect(l.observations[1]!.comments?.flags).toEqual({ 'web\ufffd': true });
  });
});
