import * as path from 'node:path';

/** A path with its leading `~` expanded, or why it cannot be. */
export type HomePath =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly message: string };

/**
 * `p` with a leading `~` or `~/` taken as the user's home folder, as a shell would take it. A
 * config file, a quoted flag and `--db=~/x.db` never reach the shell's expansion, and left as
 * they are they would name a folder called `~` under the working directory. `~alice/…` (another
 * user's home) is refused rather than guessed: Node cannot look that folder up, and a relative
 * folder of that name is rare enough to be written `./~alice/…`.
 */
export function expandHome(p: string, home: string): HomePath {
  if (!p.startsWith('~')) return { ok: true, path: p };
  const rest = p.slice(1);
  if (rest === '') return { ok: true, path: home };
  if (rest.startsWith('/') || rest.startsWith(path.sep)) return { ok: true, path: path.join(home, rest) };
  const user = rest.split(/[/\\]/)[0] ?? rest;
  return {
    ok: false,
    message: `${JSON.stringify(p)}: only ~ and ~/ (your own home folder) are expanded, not ~${user}: write the full path, or ./${p} for a folder named so`,
  };
}
