/**
 * Texts for a world built from a researcher's config: Weibo posts and NetEase articles about any
 * keyword, written around the keyword itself so that a search for it would plausibly list them.
 * The wording is generic on purpose: the world knows nothing about the topic but its words.
 */

/** The seeded PRNG calls the texts need (the simulator's `Rng` has them). */
export interface TextRng {
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

const OPENERS = [
  '',
  '',
  '刚看到，',
  '有人注意到吗？',
  '【关注】',
  '说实话，',
  '今天才知道，',
  '朋友转给我的，',
];
const BODIES = [
  '关于“{k}”的讨论越来越多了，大家可以自己去看原始材料。',
  '{k}：这件事的来龙去脉整理在这里，欢迎补充。',
  '搜了一下“{k}”，结果比想象的少很多。',
  '今天很多人在聊{k}，说说我的看法。',
  '{k}这个话题，官方说法和网上的说法不太一样。',
  '把{k}相关的几条消息放在一起看，就比较清楚了。',
  '有没有人关注{k}？感觉没什么人报道。',
  '{k}——先记下来，以后再看。',
  '看了几篇关于{k}的文章，信息量很大。',
  '{k}的原文我存了一份，需要的私信。',
];
const CLOSERS = [
  '',
  '大家怎么看？',
  '先存档。',
  '不知道这条能活多久。',
  '[思考]',
  '转发留存。',
  '[允悲]',
  '#热点#',
];
const EDIT_NOTES = [
  '\n补充：以原始材料为准。',
  '（已修改措辞）',
  '\n更正：时间写错了，已改。',
  '\n补充：链接见评论区。',
];
const ACCOUNT_BODIES = [
  '今天的一点想法：很多事情要等时间来回答。',
  '整理了一下这周看到的新闻，挑几条说说。',
  '早上好，今天继续更新。',
  '有读者问到上一条的出处，这里统一回复。',
  '这条说得比较长，感兴趣的可以看完。',
  '转一篇值得看的文章，观点不代表本人。',
  '说几句真话，不一定对。',
  '周末了，推荐几本书。',
];

/** Names for the 网易号 accounts the world makes up for ids it cannot know the name of. */
export const NETEASE_ACCOUNT_NAMES = ['视野观察', '一线纪事', '深度记录', '时事笔记', '远方来信', '每日一读'];

/** A Weibo post about `keyword`; the keyword appears verbatim so a search for it would list the post. */
export function keywordPostText(rng: TextRng, keyword: string): string {
  return `${rng.pick(OPENERS)}${rng.pick(BODIES).replace('{k}', keyword)}${rng.pick(CLOSERS)}`;
}

/** An ordinary post of a followed account, about nothing in particular. */
export function accountPostText(rng: TextRng, n: number): string {
  return `${rng.pick(ACCOUNT_BODIES)}${rng.pick(CLOSERS)}（${n}）`;
}

/** The text after an edit: the old text plus a correction, as edits on Weibo usually are. */
export function editedText(rng: TextRng, text: string): string {
  return `${text}${rng.pick(EDIT_NOTES)}`;
}

const TITLES = [
  '{k}：我们知道什么，不知道什么',
  '关于{k}，这几点值得注意',
  '{k}的前前后后',
  '一文读懂{k}',
  '{k}引发关注',
  '围绕{k}的争议',
  '专家解读{k}',
  '{k}最新进展',
];
const PARAGRAPHS = [
  '近日，{k}引起了不少读者的关注，本文把目前能够核实的信息整理如下。',
  '从公开材料看，{k}的来龙去脉并不复杂，但各方的说法存在明显差异。',
  '有读者来信询问{k}的原始出处，我们查阅了相关文件和报道。',
  '多家媒体报道了{k}，但国内的相关报道数量有限。',
  '也有观点认为，对{k}的解读不宜过度，需要更多事实来支撑。',
  '无论如何理解，公开的事实本身值得每一个关心此事的人去了解。',
  '截至发稿，相关部门尚未就{k}作出正式回应。',
  '本文所引材料均来自公开渠道，欢迎读者指正。',
];
const ACCOUNT_TITLES = ['本周随笔', '读者来信选登', '一点观察', '写在周末', '几条值得看的新闻', '答读者问'];
const ACCOUNT_PARAGRAPHS = [
  '这一周发生了不少事情，挑几件印象深的说一说。',
  '有读者留言问到上一篇的出处，这里统一回复一下。',
  '很多问题没有简单的答案，只能一点一点去看事实。',
  '欢迎在评论区留下你的看法，我会挑一些回复。',
  '下一篇会接着这个话题写，敬请关注。',
];
const ARTICLE_EDIT_NOTE = '（本文已更新：补充了部分事实，更正了一处时间。）';

/** A NetEase article about `keyword`: title and 3–5 paragraphs naming it. */
export function keywordArticle(rng: TextRng, keyword: string): { title: string; paragraphs: string[] } {
  const paragraphs = rng
    .shuffle(PARAGRAPHS)
    .slice(0, rng.int(3, 5))
    .map((p) => p.replace('{k}', keyword));
  return { title: rng.pick(TITLES).replace('{k}', keyword), paragraphs };
}

/** An article of a followed 网易号, about nothing in particular. */
export function accountArticle(rng: TextRng, n: number): { title: string; paragraphs: string[] } {
  return {
    title: `${rng.pick(ACCOUNT_TITLES)}（${n}）`,
    paragraphs: rng.shuffle(ACCOUNT_PARAGRAPHS).slice(0, rng.int(3, 4)),
  };
}

/** An edited article's paragraphs: the old ones plus an update note. */
export function editedParagraphs(paragraphs: readonly string[]): string[] {
  return [...paragraphs, ARTICLE_EDIT_NOTE];
}
