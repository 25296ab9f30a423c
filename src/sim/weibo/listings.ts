import { hashOf } from '../world';
import { mymblogBody } from './ajax';
import { MSG, NO_CONTENT_BODY } from './format';
import { ajaxStatusOf, card } from './render';
import type { PostRt, WeiboState } from './state';

/**
 * Weibo's listings: keyword search, profile and timeline on m.weibo.cn, and an account's posts on
 * weibo.com/ajax. Each answers the JSON body for the state at `now`; only posts up at `now` are listed.
 */

/** Posts per listing page. */
export const PAGE_SIZE = 10;

/** `api/container/getIndex` with a 100103 search containerid: the keyword's posts, or the withheld notice. */
export function search(state: WeiboState, params: URLSearchParams, now: number): unknown {
  const containerid = params.get('containerid') ?? '';
  // Both the encoded form (containerid=100103type%3D1%26q%3D…) and the decoded one
  // (containerid=100103type=1&q=…) arrive here; the inner query carries type and maybe q.
  const inner = new URLSearchParams(containerid.slice(6));
  const keyword = inner.get('q') ?? params.get('q') ?? '';
  const type = inner.get('type') ?? '1';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const lfid = `100103type=${type}&q=${keyword}`;
  const block = state.activeBlock(keyword, now);
  if (block) state.noteBlockMet(block);
  const info = (total: number, next: number | null): Record<string, unknown> => ({
    containerid: lfid,
    v_p: 42,
    show_style: 1,
    total,
    page: next,
    title_top: keyword,
    can_shared: 1,
  });
  if (block && !block.partial) {
    return {
      ok: 1,
      data: {
        cardlistInfo: info(0, null),
        cards: [{ card_type: 4, desc: MSG.searchWithheld, show_type: 0 }],
      },
    };
  }
  const all = state.keywordPosts(keyword);
  const visible: PostRt[] = [];
  for (const p of all) if (state.isAlive(p, now)) visible.push(p);
  const slice = visible.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  if (slice.length === 0) return NO_CONTENT_BODY;
  const more = visible.length > page * PAGE_SIZE;
  const postCards = slice.map((p, i) =>
    card(
      state,
      p,
      now,
      lfid,
      `seqid:${hashOf(lfid + page)}|type:${type}|t:|pos:${page}-0-${i}|q:${keyword}|ext:&mid=${p.mid}&`,
    ),
  );
  const cards: unknown[] = [];
  if (block?.partial && page === 1)
    cards.push({ card_type: 4, desc: MSG.searchPartlyWithheld, show_type: 0 });
  // The real result page nests some posts in card_type 11 groups (MediaCrawler filter_search_result_card).
  cards.push(postCards[0]);
  if (postCards.length >= 3) cards.push({ card_type: 11, show_type: 0, card_group: postCards.slice(1, 3) });
  else if (postCards.length === 2) cards.push(postCards[1]);
  cards.push(...postCards.slice(3));
  return { ok: 1, data: { cardlistInfo: info(visible.length, more ? page + 1 : null), cards } };
}

/** `api/container/getIndex` with a 100505 containerid (or `type=uid`): the account's profile. */
export function profile(state: WeiboState, params: URLSearchParams, now: number): unknown {
  const c = params.get('containerid') ?? '';
  const uid = c.startsWith('100505') ? c.slice(6) : (params.get('value') ?? '');
  const a = state.liveAccount(uid, now);
  if (!a) return NO_CONTENT_BODY;
  const lfid = `100505${uid}`;
  return {
    ok: 1,
    data: {
      avatar_guide: [],
      userInfo: {
        ...a.user,
        profile_url: `https://m.weibo.cn/u/${uid}?uid=${uid}&luicode=10000011&lfid=${lfid}`,
        toolbar_menus: [{ type: 'profile_follow', name: '关注', pic: '', params: { uid: Number(uid) } }],
      },
      fans_scheme: `https://m.weibo.cn/p/index?containerid=231051_-_fans_intimacy_-_${uid}&luicode=10000011&lfid=${lfid}`,
      follow_scheme: `https://m.weibo.cn/p/index?containerid=231051_-_followersrecomm_-_${uid}&luicode=10000011&lfid=${lfid}`,
      tabsInfo: {
        selectedTab: 1,
        tabs: [
          {
            id: 1,
            tabKey: 'profile',
            must_show: 1,
            hidden: 0,
            title: '主页',
            tab_type: 'profile',
            containerid: `230283${uid}`,
          },
          {
            id: 2,
            tabKey: 'weibo',
            must_show: 1,
            hidden: 0,
            title: '微博',
            tab_type: 'weibo',
            containerid: `107603${uid}`,
            apipath: '/profile/statuses',
            url: '/index/my',
          },
          {
            id: 10,
            tabKey: 'album',
            must_show: 0,
            hidden: 0,
            title: '相册',
            tab_type: 'album',
            containerid: `107803${uid}`,
          },
        ],
      },
      scheme: `sinaweibo://userinfo?uid=${uid}&type=uid&value=${uid}&luicode=10000011&lfid=${lfid}&v_p=42&fid=${lfid}&uicode=10000011`,
      showAppTips: 1,
    },
  };
}

/** `api/container/getIndex` with a 107603 containerid: the account's posts, newest first. */
export function timeline(state: WeiboState, params: URLSearchParams, now: number): unknown {
  const containerid = params.get('containerid') ?? '';
  const a = state.liveAccount(containerid.slice(6), now);
  if (!a) return NO_CONTENT_BODY;
  const visible: PostRt[] = [];
  for (const p of a.posts) if (state.isAlive(p, now)) visible.push(p);
  const byPage = a.account.timelinePaging === 'page';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const sinceRaw = params.get('since_id');
  const since = sinceRaw && /^\d+$/.test(sinceRaw) ? Number(sinceRaw) : Infinity;
  // since_id is the mid the next page starts at, so paging stays stable when posts go meanwhile;
  // a timeline paged by number counts pages from the newest instead.
  const rest = byPage
    ? visible.slice((page - 1) * PAGE_SIZE)
    : since === Infinity
      ? visible
      : visible.filter((p) => p.midNum <= since);
  const slice = rest.slice(0, PAGE_SIZE);
  if (slice.length === 0) return NO_CONTENT_BODY;
  const next = rest[PAGE_SIZE];
  const cardlistInfo: Record<string, unknown> = {
    containerid,
    v_p: 42,
    show_style: 1,
    total: visible.length,
  };
  // The numbered form names the next page in `page` (null on the last), as the search does.
  if (byPage) cardlistInfo.page = next ? page + 1 : null;
  else if (next) cardlistInfo.since_id = next.midNum;
  const cards = slice.map((p) => card(state, p, now, containerid, `${containerid}_-_${p.mid}`));
  return {
    ok: 1,
    data: {
      cardlistInfo,
      cards,
      scheme: `sinaweibo://cardlist?containerid=${containerid}&type=uid&value=${containerid.slice(6)}&v_p=42`,
    },
  };
}

/**
 * `ajax/statuses/mymblog`: the account's visible posts, newest first. `since_id` names the post
 * the page starts at (with weibo.com's `kp<page>` suffix), so paging stays stable when posts go;
 * without it, `page` counts pages from the newest.
 */
export function mymblog(state: WeiboState, params: URLSearchParams, now: number): unknown {
  const a = state.liveAccount(params.get('uid') ?? '', now);
  if (!a) return mymblogBody([], '', 0);
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const sinceMid = /^(\d+)/.exec(params.get('since_id') ?? '')?.[1];
  const visible: PostRt[] = [];
  for (const p of a.posts) if (state.isAlive(p, now)) visible.push(p);
  const rest =
    sinceMid !== undefined
      ? visible.filter((p) => p.midNum <= Number(sinceMid))
      : visible.slice((page - 1) * PAGE_SIZE);
  const next = rest[PAGE_SIZE];
  const list = rest.slice(0, PAGE_SIZE).map((p) => ajaxStatusOf(state, p, now));
  return mymblogBody(list, next ? `${next.mid}kp${page + 1}` : '', visible.length);
}
