import { loadConfig } from '../../../src/config';
import { configError, MINIMAL, removeTempDirs, writeYaml } from './helpers';

afterEach(removeTempDirs);

describe('evidence.retention', () => {
  it('is off by default', () => {
    expect(loadConfig(writeYaml(MINIMAL), {}).evidence.retention).toEqual({
      screenshotsPerTarget: null,
      maxBytes: null,
    });
  });

  it('reads sizes in bytes, decimal and binary units', () => {
    const read = (v: string): number | null =>
      loadConfig(writeYaml(`${MINIMAL}evidence:\n  retention:\n    maxBytes: ${v}\n`), {}).evidence.retention
        .maxBytes;
    expect(read('2GB')).toBe(2e9);
    expect(read('10GiB')).toBe(10 * 2 ** 30);
    expect(read('1.5 MB')).toBe(1_500_000);
    expect(read('123456')).toBe(123_456);
  });

  it('names the field of a bad size or a per-target limit below the two it always keeps', () => {
    const size = configError(() =>
      loadConfig(writeYaml(`${MINIMAL}evidence:\n  retention:\n    maxBytes: lots\n`), {}),
    );
    expect(size.message).toMatch(/^evidence\.retention\.maxBytes: invalid size "lots"/);
    const perTarget = configError(() =>
      loadConfig(writeYaml(`${MINIMAL}evidence:\n  retention:\n    screenshotsPerTarget: 1\n`), {}),
    );
    expect(perTarget.issues[0]?.path).toBe('evidence.retention.screenshotsPerTarget');
  });
});

describe('evidence.screenshots', () => {
  it('needs a Chromium: without browser.executablePath it is bad config naming the field', () => {
    const err = configError(() =>
      loadConfig(
        writeYaml(`${MINIMAL}evidence:\n  screenshots: true\nbrowser:\n  executablePath: null\n`),
        {},
      ),
    );
    expect(err.issues).toEqual([
      expect.objectContaining({
        path: 'evidence.screenshots',
        message: expect.stringMatching(/^needs Chromium/),
      }),
    ]);
    const ok = loadConfig(
      writeYaml(`${MINIMAL}evidence:\n  screenshots: true\nbrowser:\n  executablePath: /usr/bin/chromium\n`),
      {},
    );
    expect(ok.evidence.screenshots).toBe(true);
  });
});
