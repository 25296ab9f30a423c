import type { ServerResponse } from 'node:http';
import { send } from '../respond';
import type { GroundTruthRow } from '../truth';
import { notFoundPage } from '../weibo/pages';

/** What the control endpoints read and change. */
export interface Controlled {
  groundTruth(at: number): GroundTruthRow[];
  setDelay(ms: number): void;
  readonly delayMs: number;
  readonly waiting: number;
  stats(): unknown;
  configYaml(database?: string): string;
}

/**
 * The simulator's own endpoints under `/__sim/`, never faulted or delayed: `truth[?at=ms]` (the
 * ground truth), `clock` (the simulated now), `delay[?ms=N]` (read or set the answer delay), `stats`
 * (requests and faults per endpoint) and `config[?db=path]` (a crawler config pointing here).
 */
export function serveControl(
  sim: Controlled,
  path: string,
  params: URLSearchParams,
  now: number,
  res: ServerResponse,
): void {
  switch (path) {
    case '/__sim/truth': {
      const at = Number(params.get('at'));
      return sendJson(res, sim.groundTruth(params.has('at') && Number.isFinite(at) ? at : now));
    }
    case '/__sim/clock':
      return sendJson(res, { now });
    case '/__sim/delay': {
      const ms = Number(params.get('ms'));
      if (params.has('ms')) sim.setDelay(ms);
      return sendJson(res, { delayMs: sim.delayMs, waiting: sim.waiting });
    }
    case '/__sim/stats':
      return sendJson(res, sim.stats());
    case '/__sim/config':
      return send(res, 200, 'text/yaml; charset=utf-8', sim.configYaml(params.get('db') ?? undefined));
    default:
      return send(res, 404, 'text/html; charset=utf-8', notFoundPage());
  }
}

function sendJson(res: ServerResponse, value: unknown): void {
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(value));
}
