/** The comment-thread info object of `comment.api.163.com/…/threads/<DOCID>` (research §3.4). */
import type { HttpResponse } from '../../http/types';
import { apiError, bool, isRecord, num, parseJsonResponse, str } from './response';
import type { NeteaseParsed } from './response';
import { beijingTimeToIso } from './time';

/** A comment thread's info object (counts and status flags). */
export interface NeteaseThreadInfo {
  readonly docId: string | null;
  readonly url: string | null;
  readonly title: string | null;
  /** e.g. `news2_bbs`, `dy_wemedia_bbs`, `video_bbs`. */
  readonly boardId: string | null;
  readonly channelId: string | null;
  readonly createdAt: string | null;
  readonly modifiedAt: string | null;
  readonly isAudit: boolean | null;
  readonly needCheck: boolean | null;
  readonly vote: number | null;
  readonly against: number | null;
  /** 跟贴数. */
  readonly tcount: number | null;
  readonly rcount: number | null;
  readonly cmtVote: number | null;
  readonly cmtAgainst: number | null;
  /** 参与数 as crawlers compute it: rcount + cmtVote + cmtAgainst. */
  readonly participation: number | null;
  /** `{app, web, audio, against, joincount, label}`, each `on` or `off`. */
  readonly status: Readonly<Record<string, string>>;
  /** False when `status.web` or `status.app` is `off` (comments closed), null when status is absent. */
  readonly commentsOpen: boolean | null;
}

/**
 * Parses the thread-info object of `comment.api.163.com/…/threads/<DOCID>`. With `docid`, an
 * object that names another thread (a mirror or a mix-up that answered for another article) is
 * `unparseable`: its counts and flags say nothing about the thread asked.
 */
export function parseCommentThreadInfo(res: HttpResponse, docid?: string): NeteaseParsed<NeteaseThreadInfo> {
  const parsed = parseJsonResponse(res);
  if (!parsed.ok) return parsed;
  const json = parsed.value;
  if (!isRecord(json)) return { ok: false, outcome: 'unparseable', message: 'thread info is not an object' };
  const err = apiError(json, 'docId');
  if (err) return { ok: false, outcome: 'unparseable', message: err };
  if (!('docId' in json) && !('tcount' in json))
    return { ok: false, outcome: 'unparseable', message: 'not a thread info object' };
  const named = str(json['docId']);
  if (docid !== undefined && named !== null && named.toUpperCase() !== docid.toUpperCase())
    return { ok: false, outcome: 'unparseable', message: `thread info is about ${named}, not ${docid}` };
  const status: Record<string, string> = {};
  if (isRecord(json['status'])) {
    for (const [k, v] of Object.entries(json['status'])) {
      const s = str(v);
      if (s != null) status[k] = s;
    }
  }
  const rcount = num(json['rcount']);
  const cmtVote = num(json['cmtVote']);
  const cmtAgainst = num(json['cmtAgainst']);
  const hasStatus = 'web' in status || 'app' in status;
  return {
    ok: true,
    value: {
      docId: str(json['docId']),
      url: str(json['url']),
      title: str(json['title']),
      boardId: str(json['boardId']),
      channelId: str(json['channelId']),
      createdAt: beijingTimeToIso(str(json['createTime'])),
      modifiedAt: beijingTimeToIso(str(json['modifyTime'])),
      isAudit: bool(json['isAudit']),
      needCheck: bool(json['needCheck']),
      vote: num(json['vote']),
      against: num(json['against']),
      tcount: num(json['tcount']),
      rcount,
      cmtVote,
      cmtAgainst,
      participation:
        rcount != null && cmtVote != null && cmtAgainst != null ? rcount + cmtVote + cmtAgainst : null,
      status,
      commentsOpen: hasStatus ? status['web'] !== 'off' && status['app'] !== 'off' : null,
    },
  };
}
