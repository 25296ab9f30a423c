/**
 * NetEase article answers whose status and page disagree, served through a host-remapped mirror
 * as a user's `platforms.netease.hosts` would: the article's own page with a 404, and a redirect
 * to the portal's not-found page that answers 404 itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from '../../../src/domain/glossary';
import { html, startMirror, type Canned, type Mirror } from './helpers';

const DOCID = 'KC12OUHK000189FH';
const ARTICLE = readFileSync(
  join(__dirname, '../../fixtures/reference/netease/article_news_KC12OUHK000189FH.trimmed.html'),
  'utf8',
);
const NOT_FOUND =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>网易</title></head><body><p>抱歉，您访问的页面不存在</p></body></html>';

let mirror: Mirror | null = null;
afterEach(async () => {
  await mirror?.close();
  mirror = null;
});

async function check(article: Canned, elsewhere: Canned = html(NOT_FOUND, 404)): Promise<Observation> {
  await mirror?.close();
  mirror = await startMirror((host, path) =>
    host === 'www.163.com' && path.includes(DOCID) ? article : elsewhere,
  );
  const r = await mirror.netease.check({ platform: 'netease', kind: 'post', id: DOCID });
  return r.observations[0]!;
}

test('the reference article served with a 404 → unparseable, body kept (was gone_unspecified)', async () => {
  const obs = await check(html(ARTICLE, 404));
  expect(obs.outcome).toBe('unparseable');
  expect(obs.message).toContain('HTTP 404');
  expect(obs.evidence?.body.toString('utf8')).toContain('post_title');
});

test('the reference article served with a 410 → unparseable', async () => {
  expect((await check(html(ARTICLE, 410))).outcome).toBe('unparseable');
});

test('a 404 with a not-found page or an empty body is still the absence rule’s 404', async () => {
  expect((await check(html(NOT_FOUND, 404))).outcome).toBe('gone_unspecified');
  expect((await check({ status: 404, body: '' })).outcome).toBe('gone_unspecified');
});

test('a redirect to www.163.com/404.html that answers 404 itself → gone, as when it answers 200', async () => {
  const redirect: Canned = { status: 302, headers: { location: 'https://www.163.com/404.html' } };
  const at404 = await check(redirect, html(NOT_FOUND, 404));
  expect(at404.outcome).toBe('gone_unspecified');
  expect(at404.message).toContain('https://www.163.com/404.html');
  expect((await check(redirect, html(NOT_FOUND, 200))).outcome).toBe('gone_unspecified');
});

test('a redirect to a 404 that is not the portal’s not-found page, or whose page is a captcha, is no statement', async () => {
  const special: Canned = { status: 302, headers: { location: 'https://www.163.com/special/0077jt/x.html' } };
  expect((await check(special, html(NOT_FOUND, 404))).outcome).toBe('unparseable');
  const to404: Canned = { status: 302, headers: { location: 'https://www.163.com/404.html' } };
  const captcha = html('<html><body><p>请完成安全验证</p></body></html>', 404);
  expect((await check(to404, captcha)).outcome).toBe('unparseable');
});
