import { createHmac } from 'node:crypto';
import { MissingPseudonymKeyError, Pseudonymizer, pseudonymKey } from '../../../src/report/pseudonym';

describe('pseudonyms', () => {
  it('takes the key from the environment over the config, and none when neither has one', () => {
    expect(pseudonymKey('from-config-1234567', { CENSORWATCH_PSEUDONYM_KEY: 'from-env-12345678' })).toBe(
      'from-env-12345678',
    );
    expect(pseudonymKey('from-config-1234567', {})).toBe('from-config-1234567');
    expect(pseudonymKey(null, { CENSORWATCH_PSEUDONYM_KEY: '' })).toBeNull();
    expect(() => new Pseudonymizer('')).toThrow(MissingPseudonymKeyError);
  });

  it('is HMAC-SHA256 of the namespaced value, one pseudonym per author', () => {
    const key = 'k'.repeat(20);
    const p = new Pseudonymizer(key);
    const want = 'a_' + createHmac('sha256', key).update('weibo:id\u001f1001').digest('hex').slice(0, 16);
    expect(p.author('weibo', '1001', '观察者')).toEqual({ authorId: want, author: want });
    // Without an id, the name is hashed; the same name on another platform is another pseudonym.
    const byName = p.author('netease', null, '网易新闻');
    expect(byName.authorId).toBeNull();
    expect(byName.author).toMatch(/^a_[0-9a-f]{16}$/);
    expect(p.author('weibo', null, '网易新闻').author).not.toBe(byName.author);
    expect(p.author('weibo', null, null)).toEqual({ authorId: null, author: null });
    expect(p.commenter('netease', '网易新闻')).toBe(byName.author);
  });
});
