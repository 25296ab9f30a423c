/** NetEase (163.com): URL forms and ids, pure parsers, and the platform adapter. */
export * from './urls';
export * from './parse';
export * from './adapter';
export { tokenize, findElement, findAll, decodeEntities } from './html';
export type { HtmlToken, HtmlElement, Selector } from './html';
