/** Exports (JSONL, CSV), statistics and reports (Markdown, JSON, HTML). */
export * from './export';
export * from './pseudonym';
export * from './stats';
export * from './survival';
export * from './format';
export * from './claim';
export * from './sample';
export * from './report';
export * from './markdown';
export * from './html';
