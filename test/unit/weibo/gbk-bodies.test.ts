import iconv from 'iconv-lite';
import { bodyText } from '../../../src/platforms/weibo/classify';
import { parseStatusShow } from '../../../src/platforms/weibo/parse';
import { AT_2019, response } from './helpers';

/**
 * A Weibo answer in GBK (a mirror, a proxy that re-encodes, an old endpoint declaring
 * `charset=gbk`): its notice is the proof of a deletion, so it must be kept as the platform's
 * words, not as UTF-8 mojibake. Invented bodies, in the shapes research/weibo.md §3.3 documents.
 */
const MID = '4383411844046171';
const NOTICE = '微博不存在或暂无查看权限!';

test('a GBK body is read as GBK, a UTF-8 body (with or without BOM) as UTF-8', () => {
  expect(bodyText(iconv.encode(NOTICE, 'gbk'))).toBe(NOTICE);
  expect(bodyText(Buffer.from(`\uFEFF${NOTICE}`, 'utf8'))).toBe(NOTICE);
  expect(bodyText(Buffer.from(NOTICE, 'utf8'))).toBe(NOTICE);
});

test('a GBK errno answer keeps the notice in its own words', () => {
  const body = iconv.encode(JSON.stringify({ ok: 0, errno: '20101', msg: NOTICE }), 'gbk');
  const [obs] = parseStatusShow(
    response(body, { contentType: 'application/json; charset=gbk' }),
    AT_2019,
    MID,
  );
  expect(obs?.outcome).toBe('gone_unspecified');
  expect(obs?.message).toContain(NOTICE);
});

test('a GBK alive post keeps its text', () => {
  const text = '转发：该微博因被多人投诉，根据《微博社区公约》，已被删除。';
  const body = iconv.encode(
    JSON.stringify({
      ok: 1,
      data: {
        id: MID,
        mid: MID,
        text,
        created_at: 'Sat Apr 29 10:00:00 +0800 2019',
        user: { id: 1669879400, screen_name: '样本' },
      },
    }),
    'gbk',
  );
  const [obs] = parseStatusShow(
    response(body, { contentType: 'application/json; charset=gbk' }),
    AT_2019,
    MID,
  );
  expect(obs?.outcome).toBe('alive');
  expect(obs?.content?.text).toContain('该微博因被多人投诉');
});
