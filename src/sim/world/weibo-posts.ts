import { WEIBO_CORPUS as W, type UnVoteKeyword } from './corpus';
import type { Rng } from './rng';
import type { SimCommentPlan } from './comments';
import type { SimEdit, SimFate } from './types';

/** Helpers the Weibo builders share: a post under construction and the texts drawn for it. */

/** A post while a builder fills it in; its mid is assigned once its creation time is final. */
export interface MutablePost {
  mid: string;
  uid: string;
  text: string;
  keywords: string[];
  createdAt: number;
  isLongText?: boolean;
  longText?: string;
  edits?: SimEdit[];
  fate?: SimFate;
  repostOf?: string;
  pics?: number;
  comments?: SimCommentPlan;
}

/** A topic post's text: an opener, a body about `keyword`, a closer. */
export function topicText(rng: Rng, keyword: UnVoteKeyword): string {
  return `${rng.pick(W.topicOpeners)}${rng.pick(W.topicBodies[keyword])}${rng.pick(W.topicClosers)}`;
}

/** A weather post's text for a random city. */
export function weatherText(rng: Rng): string {
  return `${rng.pick(W.weatherBodies).replace('{c}', rng.pick(W.cities))}${rng.pick(W.weatherClosers)}`;
}

/** A delay in [min, max], skewed towards `min` for `skew` > 1. */
export function delayWithin(rng: Rng, min: number, max: number, skew: number): number {
  return Math.round(min + (max - min) * Math.pow(rng.next(), skew));
}

/** Adds at most one edit, at least `margin` after creation and at least `margin` before the fate. */
export function addEdit(rng: Rng, p: MutablePost, newText: string, margin: number, horizon: number): boolean {
  const latest = (p.fate ? p.fate.at : p.createdAt + horizon) - margin;
  const earliest = p.createdAt + margin;
  if (latest <= earliest || p.edits) return false;
  p.edits = [{ at: Math.round(earliest + rng.next() * (latest - earliest)), text: newText }];
  return true;
}

/** The whole text of a post: a long post's full text, else its text. */
export function fullText(p: MutablePost): string {
  return p.isLongText ? (p.longText ?? p.text) : p.text;
}
