import {
  codePointLabel,
  escapeHtmlVisible,
  showInvisible,
  wellFormed,
  wellFormedJson,
} from '../../../src/report/escape';

describe('showInvisible', () => {
  it('marks zero-width, bidi, separators, BOM, controls and lone surrogates; keeps the rest', () => {
    expect(showInvisible('a\u200bb\u200e\u202e\u2066\u2069\ufeff\u2028\u2029\u0000\u007f\u0085')).toBe(
      'a⟨U+200B⟩b⟨U+200E⟩⟨U+202E⟩⟨U+2066⟩⟨U+2069⟩⟨U+FEFF⟩⟨U+2028⟩⟨U+2029⟩⟨U+0000⟩⟨U+007F⟩⟨U+0085⟩',
    );
    expect(showInvisible('x\ud800y\udc00z')).toBe('x⟨U+D800⟩y⟨U+DC00⟩z');
    // A pair is one character, not two surrogates; CJK and full-width spaces are text.
    expect(showInvisible('😀 中文\u3000全角')).toBe('😀 中文\u3000全角');
    expect(showInvisible('a\tb\nc\rd')).toBe('a\tb\nc\rd');
    expect(showInvisible('a\tb\nc', '')).toBe('a⟨U+0009⟩b⟨U+000A⟩c');
    expect(codePointLabel('\u{e0001}')).toBe('⟨U+E0001⟩');
  });

  it('marks in HTML as an element after escaping, so a mark cannot carry markup', () => {
    expect(escapeHtmlVisible('<b>\u202e</b>')).toBe('&lt;b&gt;<span class="cp">⟨U+202E⟩</span>&lt;/b&gt;');
  });
});

describe('wellFormed', () => {
  it('replaces each lone surrogate by one U+FFFD and nothing else', () => {
    expect(wellFormed('a\ud800b\udc00c😀\u0000\u2028')).toBe('a\ufffdb\ufffdc😀\u0000\u2028');
    const json = wellFormedJson({ t: 'x\udbff', k: ['\u202e'] });
    expect(json).toBe('{"t":"x\ufffd","k":["\u202e"]}');
    expect(Buffer.from(json, 'utf8').toString('utf8')).toBe(json);
  });
});
