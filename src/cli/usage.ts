/**
 * Usage errors as one line: what is wrong, naming the flag, and which `--help` to read. The whole
 * help under an error buried the one line that mattered.
 */
import type { Command, CommanderError } from 'commander';

/** The command argv reaches and the words after it: `censorwatch alerts test` and its flags. */
function leafCommand(
  program: Command,
  argv: readonly string[],
): { command: Command; path: string; rest: string[] } {
  const names = [program.name()];
  let command = program;
  let i = 0;
  for (; i < argv.length; i++) {
    const token = argv[i] ?? '';
    const sub = command.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (sub) {
      names.push(sub.name());
      command = sub;
    } else if (!token.startsWith('-')) break;
  }
  return { command, path: names.join(' '), rest: argv.slice(names.length - 1) };
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur.push(
        Math.min(
          (prev[j] ?? 0) + 1,
          (cur[j - 1] ?? 0) + 1,
          (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
        ),
      );
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * Commander reports a missing required option before an unknown one, so `--fromat csv` read as
 * "required option --format not specified". The misspelt flag is the real mistake: name it first.
 */
function unknownFlagFirst(command: Command, rest: string[]): string | null {
  const flag = command.parseOptions([...rest]).unknown.find((t) => t.startsWith('-'));
  if (flag === undefined) return null;
  const name = flag.split('=')[0] ?? flag;
  const longs = command.options.map((o) => o.long).filter((l): l is string => l !== undefined);
  const best = longs
    .map((l) => ({ l, d: distance(name, l) }))
    .sort((a, b) => a.d - b.d)
    .find((c) => c.d <= Math.max(2, Math.floor(name.length / 4)));
  return `unknown option '${name}'${best ? ` (Did you mean ${best.l}?)` : ''}`;
}

/** One line: `censorwatch: <what is wrong>; see censorwatch <command> --help`. */
export function usageLine(what: string, program: Command, argv: readonly string[]): string {
  const oneLine = what
    .replace(/^error: /, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');
  return `censorwatch: ${oneLine}; see ${leafCommand(program, argv).path} --help\n`;
}

const INVALID_OPTION =
  /^(?:error: )?option '(?:-\w, )?(--[\w-]+)[^']*' argument '(.*)' is invalid\.\s*([\s\S]*)$/;

/**
 * Commander's "option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are
 * jsonl, csv." leads with the flag's whole spelling; the flag first, as every other usage error
 * names it: `--format: 'xml' is not one of jsonl, csv`.
 */
function invalidOption(message: string): string | null {
  const m = INVALID_OPTION.exec(message);
  if (!m) return null;
  const [, flag, value, why] = m;
  const choices = /^Allowed choices are (.*?)\.?$/.exec(why?.trim() ?? '');
  if (choices) return `${flag}: '${value}' is not one of ${choices[1]}`;
  return `${flag}: '${value}' is invalid${why ? `: ${why.trim()}` : ''}`;
}

/** The words of `rest` that are neither flags nor the values of the flags before them. */
function positionals(command: Command, rest: readonly string[]): string[] {
  return command.parseOptions([...rest]).operands;
}

/**
 * `censorwatch status watch.yaml`, the config given without its flag, read as "required option
 * --config not specified": say which flag the file wants.
 */
function configWithoutFlag(command: Command, rest: readonly string[], message: string): string | null {
  if (!/'(?:-c, )?--config <file>'/.test(message)) return null;
  const file = positionals(command, rest).find((w) => /\.(?:ya?ml|json)$/i.test(w));
  return file === undefined
    ? null
    : `--config is required: give the config file as --config ${file}, not as an argument`;
}

/**
 * Commander's "too many arguments for 'export'. Expected 0 arguments but got 1." names neither
 * the word that was too many nor what the command takes.
 */
function excessArguments(command: Command, path: string, rest: readonly string[]): string | null {
  const expected = command.registeredArguments.map((a) => a.name());
  const extra = positionals(command, rest).slice(expected.length);
  if (extra.length === 0) return null;
  const takes =
    expected.length === 0 ? 'takes no arguments' : `takes only ${expected.map((n) => `<${n}>`).join(' ')}`;
  return `unexpected argument ${extra.map((w) => JSON.stringify(w)).join(', ')}: ${path.replace(/^\S+ /, '')} ${takes}`;
}

/** The one line for an error commander raised while parsing `argv`. */
export function commanderUsageLine(err: CommanderError, program: Command, argv: readonly string[]): string {
  if (err.code === 'commander.missingMandatoryOptionValue') {
    const { command, rest } = leafCommand(program, argv);
    const unknown = unknownFlagFirst(command, rest);
    if (unknown !== null) return usageLine(unknown, program, argv);
    const config = configWithoutFlag(command, rest, err.message);
    if (config !== null) return usageLine(config, program, argv);
  }
  if (err.code === 'commander.excessArguments') {
    const { command, path, rest } = leafCommand(program, argv);
    const line = excessArguments(command, path, rest);
    if (line !== null) return usageLine(line, program, argv);
  }
  if (err.code === 'commander.invalidArgument') {
    const line = invalidOption(err.message);
    if (line !== null) return usageLine(line, program, argv);
  }
  return usageLine(err.message, program, argv);
}
