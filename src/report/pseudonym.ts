/**
 * Pseudonyms for publishing: author ids and names replaced by a keyed hash (HMAC-SHA256), as
 * published Weibo datasets do, so a reader can still group posts by author without learning who
 * the author is. The same key gives the same pseudonym in every export and report of a dataset;
 * without the key a pseudonym cannot be recomputed from a guessed name.
 */
import { createHmac } from 'node:crypto';

/** Where the key comes from, for the error that names them. */
export const PSEUDONYM_KEY_SOURCES = 'config privacy.pseudonymKey or env CENSORWATCH_PSEUDONYM_KEY';

/** Shortest key accepted, as for `privacy.pseudonymKey`: a short key can be found by trying them all. */
export const PSEUDONYM_KEY_MIN_CHARS = 16;

/** Thrown when pseudonyms are asked for without a key. */
export class MissingPseudonymKeyError extends Error {
  constructor() {
    super(`--pseudonymize needs a key: set ${PSEUDONYM_KEY_SOURCES} (16 characters or more)`);
    this.name = 'MissingPseudonymKeyError';
  }
}

/** Picks the key: the environment over the config; null when neither has one. */
export function pseudonymKey(
  configKey: string | null | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const fromEnv = env.CENSORWATCH_PSEUDONYM_KEY;
  if (fromEnv) return fromEnv;
  return configKey ?? null;
}

/** Replaces author identities with keyed hashes. */
export class Pseudonymizer {
  constructor(private readonly key: string) {
    if (!key) throw new MissingPseudonymKeyError();
  }

  /** A pseudonym for one value in one namespace: `a_` and 16 hex digits (64 bits). */
  private hash(namespace: string, value: string): string {
    return (
      'a_' + createHmac('sha256', this.key).update(`${namespace}\u001f${value}`).digest('hex').slice(0, 16)
    );
  }

  /**
   * An author's id and name, pseudonymized together: both become the pseudonym of the id when the
   * platform gave one (so one author is one pseudonym), else of the name.
   */
  author(
    platform: string,
    id: string | null,
    name: string | null,
  ): { authorId: string | null; author: string | null } {
    if (id !== null) {
      const p = this.hash(`${platform}:id`, id);
      return { authorId: p, author: name !== null ? p : null };
    }
    if (name !== null) return { authorId: null, author: this.hash(`${platform}:name`, name) };
    return { authorId: null, author: null };
  }

  /** A commenter, known by display name only. */
  commenter(platform: string, name: string | null): string | null {
    return name === null ? null : this.hash(`${platform}:name`, name);
  }
}
