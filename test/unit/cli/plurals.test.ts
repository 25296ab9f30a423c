import { progressLine } from '../../../src/cli/progress';

describe('CLI lines give a count of one its singular noun', () => {
  it('progress: 1 check, 1 discovery round, 1 open watch problem', () => {
    const line = (n: number): string =>
      progressLine({ checks: n, discoveries: n, due: n, gone: n, goneThisRun: n, problems: n });
    expect(line(1)).toBe(
      'progress: 1 check, 1 discovery round, 1 due, 1 gone (+1 this run), 1 open watch problem',
    );
    expect(line(2)).toBe(
      'progress: 2 checks, 2 discovery rounds, 2 due, 2 gone (+2 this run), 2 open watch problems',
    );
  });
});
