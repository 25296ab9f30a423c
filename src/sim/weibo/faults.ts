import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../respond';
import { CAPTCHA_BODY, errorBody, MSG } from './format';
import { badGatewayPage, errorPage } from './pages';

/** Kinds of injected faults, each a real Weibo blocking or failure behaviour. */
export const FAULT_KINDS = [
  'http418',
  'http403_100005',
  'http432',
  'captcha',
  'html_unknown_error',
  'http502',
  'reset',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

/** A fault kind, drawn uniformly with `random` (uniform in [0, 1)). */
export function pickWeiboFault(random: () => number): FaultKind {
  return FAULT_KINDS[Math.floor(random() * FAULT_KINDS.length)]!;
}

/** Answers with an injected fault; `random` picks between the forms a fault is known in. */
export function serveWeiboFault(
  kind: FaultKind,
  req: IncomingMessage,
  res: ServerResponse,
  random: () => number,
): void {
  switch (kind) {
    case 'http418':
      return send(res, 418, 'text/plain', '');
    case 'http403_100005':
      // Both comma forms have been reported for this body (research §3.4).
      return send(
        res,
        403,
        JSON_TYPE,
        JSON.stringify(errorBody('100005', random() < 0.5 ? '请求过于频繁,歇歇吧' : '请求过于频繁，歇歇吧')),
      );
    case 'http432':
      res.statusMessage = 'No Reason Phrase';
      return send(res, 432, 'text/html', '');
    case 'captcha':
      return send(res, 200, JSON_TYPE, JSON.stringify(CAPTCHA_BODY));
    case 'html_unknown_error':
      return send(res, 200, HTML_TYPE, errorPage(MSG.unknownError));
    case 'http502':
      return send(res, 502, HTML_TYPE, badGatewayPage());
    case 'reset':
      req.socket.destroy();
      return;
  }
}
