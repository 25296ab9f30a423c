import { createHash } from 'node:crypto';
import { sha256Hex } from '../../../src/domain/hash';

describe('sha256Hex', () => {
  it('is SHA-256 in lower-case hex (FIPS 180-2 test vector "abc")', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes a string as its UTF-8 bytes, so a body and its text agree', () => {
    const text = '联合国决议 vote';
    expect(sha256Hex(text)).toBe(sha256Hex(Buffer.from(text, 'utf8')));
    expect(sha256Hex(Buffer.from(text, 'utf8'))).toBe(
      createHash('sha256').update(text, 'utf8').digest('hex'),
    );
  });
});
