import {
  commentSnapshot,
  listedComments,
  redactCommentUsers,
  threadFlags,
} from '../../../src/platforms/netease/comments';
import { parseCommentList, parseCommentThreadInfo } from '../../../src/platforms/netease';
import { reference, response } from './support';

const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };
const hotList = reference('comments_app_hotList_EAUJCTQV05346RBY.json');

function list(body: Buffer | string) {
  const parsed = parseCommentList(response({ headers: JSON_HEADERS, body }));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

describe('comment snapshots from the reference hotList (2019, dy article)', () => {
  const items = listedComments(list(hotList));

  it('takes the listed comment of each chain, not the quoted roots before it', () => {
    // commentIds: "56415914", "56415914,56426719", "56645923,56668605", … → the last id of each.
    expect(items.map((c) => c.id)).toEqual([
      '56415914',
      '56426719',
      '56668605',
      '56429106',
      '57116175',
      '56424569',
      '56582325',
      '56594093',
      '56450074',
      '57034022',
    ]);
    // 56645923 and 56916031 are only quoted.
    expect(items.map((c) => c.id)).not.toContain('56645923');
  });

  it('keeps nickname, location, text, time and the isDel mark, and nothing that identifies the account', () => {
    expect(items.find((c) => c.id === '56424569')).toEqual({
      id: '56424569',
      text: '天天推送这些玩意干啥 你们就不能整点好点的段子',
      author: '马婊',
      location: '吉林省',
      createdAt: '2019-03-23T01:43:34.000Z',
      deleted: false,
    });
    for (const c of items)
      expect(Object.keys(c).sort()).toEqual(['author', 'createdAt', 'deleted', 'id', 'location', 'text']);
  });

  it('an anonymous comment has no author but keeps its location', () => {
    expect(items.find((c) => c.id === '56426719')).toMatchObject({ author: null, location: '河南省洛阳市' });
  });

  it('isDel becomes deleted', () => {
    const json = JSON.parse(hotList.toString('utf8')) as {
      comments: Record<string, Record<string, unknown>>;
    };
    json.comments['56450074']!['isDel'] = true;
    const c = list(JSON.stringify(json)).comments.find((x) => x.commentId === '56450074')!;
    expect(commentSnapshot(c).deleted).toBe(true);
  });
});

describe('redactCommentUsers', () => {
  const withIds = (): Record<string, unknown> => {
    const json = JSON.parse(hotList.toString('utf8')) as {
      comments: Record<string, { user: Record<string, unknown> }>;
    };
    // The sample itself is redacted; put back ids of the real form (base64 of an e-mail).
    for (const c of Object.values(json.comments)) if ('id' in c.user) c.user['id'] = 'eWQuYWJjQDE2My5jb20=';
    return json;
  };

  it('removes every user.id and keeps everything else', () => {
    const out = JSON.parse(redactCommentUsers(Buffer.from(JSON.stringify(withIds()))).toString('utf8'));
    expect(JSON.stringify(out)).not.toContain('eWQuYWJjQDE2My5jb20=');
    expect(out.comments['56424569'].user).toMatchObject({
      nickname: '马婊',
      location: '吉林省',
      userId: 44426740,
    });
    expect(out.commentIds).toHaveLength(10);
  });

  it('keeps JSONP as JSONP, and leaves other bodies alone', () => {
    const jsonp = `getData(${JSON.stringify(withIds())});`;
    const out = redactCommentUsers(Buffer.from(jsonp)).toString('utf8');
    expect(out).toMatch(/^getData\(\{.*\}\);$/s);
    expect(out).not.toContain('eWQuYWJjQDE2My5jb20=');
    const other = Buffer.from('{"code":"42212","message":"Illegal pagination parameters"}');
    expect(redactCommentUsers(other)).toBe(other);
    expect(redactCommentUsers(Buffer.from('<html>')).toString()).toBe('<html>');
  });
});

describe('threadFlags on the reference thread info (2017 video thread)', () => {
  it('turns the status flags into booleans', () => {
    const parsed = parseCommentThreadInfo(
      response({ headers: JSON_HEADERS, body: reference('comment_thread_info_CG212U73008535RB.json') }),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    expect(threadFlags(parsed.value)).toEqual({
      app: true,
      web: true,
      audio: false,
      against: true,
      joincount: true,
      label: true,
    });
  });

  it('is undefined for a thread without status', () => {
    const parsed = parseCommentThreadInfo(
      response({ headers: JSON_HEADERS, body: '{"docId":"X","tcount":3}' }),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    expect(threadFlags(parsed.value)).toBeUndefined();
  });
});
