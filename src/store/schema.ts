/**
 * Versioned migrations, applied in order; `PRAGMA user_version` holds how many ran. Tables are
 * named after the vocabulary: watches, targets, observations, events.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE watches (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
  );

  -- What discovery polls: one keyword or account of one watch on one platform.
  CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    watch_id     TEXT NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    platform     TEXT NOT NULL,
    mode         TEXT NOT NULL CHECK (mode IN ('keyword', 'account')),
    query        TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,
    next_run_at  INTEGER,
    leased_until INTEGER,
    last_run_at  INTEGER,
    -- Search state for keywords: 'results' | 'empty' | 'withheld' | NULL before the first answer.
    search_state TEXT,
    blocked      INTEGER NOT NULL DEFAULT 0,
    last_results_at INTEGER,
    UNIQUE (watch_id, platform, mode, query)
  );
  CREATE INDEX sources_due ON sources (next_run_at) WHERE active = 1;

  CREATE TABLE targets (
    id              INTEGER PRIMARY KEY,
    platform        TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('post', 'thread')),
    native_id       TEXT NOT NULL,
    url             TEXT NOT NULL,
    first_seen_at   INTEGER NOT NULL,
    verdict         TEXT NOT NULL DEFAULT 'unknown',
    cause           TEXT,
    last_alive_at   INTEGER,
    last_alive_hash TEXT,
    last_alive_text TEXT,
    gone_at         INTEGER,
    final_streak    INTEGER NOT NULL DEFAULT 0,
    last_final_at   INTEGER,
    edit_count      INTEGER NOT NULL DEFAULT 0,
    observations    INTEGER NOT NULL DEFAULT 0,
    author_id       TEXT,
    author_name     TEXT,
    created_at      INTEGER,
    repost_of       TEXT,
    last_outcome    TEXT,
    last_checked_at INTEGER,
    next_check_at   INTEGER,
    leased_until    INTEGER,
    -- Head of the target's observation hash chain.
    chain           TEXT NOT NULL DEFAULT '',
    UNIQUE (platform, kind, native_id)
  );
  CREATE INDEX targets_due ON targets (next_check_at) WHERE next_check_at IS NOT NULL;

  CREATE TABLE target_watches (
    target_id  INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    watch_id   TEXT NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    via        TEXT NOT NULL,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (target_id, watch_id)
  ) WITHOUT ROWID;
  CREATE INDEX target_watches_watch ON target_watches (watch_id);

  -- Raw response bodies, gzip-compressed, keyed by the SHA-256 of the uncompressed bytes.
  CREATE TABLE blobs (
    hash        TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    gz          BLOB NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE observations (
    id            INTEGER PRIMARY KEY,
    target_id     INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    endpoint      TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    message       TEXT,
    http_status   INTEGER,
    url           TEXT,
    final_url     TEXT,
    content_hash  TEXT,
    -- Normalized content JSON, kept only when it differs from the previous alive observation.
    content       TEXT,
    body_hash     TEXT,
    body_kept     INTEGER NOT NULL DEFAULT 0,
    -- Hash chain over each target's observations: sha256(previous chain || this row's facts).
    chain         TEXT NOT NULL,
    dedupe_key    TEXT UNIQUE
  );
  CREATE INDEX observations_target ON observations (target_id, id);

  CREATE TABLE search_observations (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    outcome     TEXT NOT NULL,
    results     INTEGER NOT NULL,
    message     TEXT,
    body_hash   TEXT,
    page        TEXT
  );
  CREATE INDEX search_observations_source ON search_observations (source_id, at);

  CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    type        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    watch_id    TEXT,
    platform    TEXT NOT NULL,
    target_id   INTEGER REFERENCES targets(id) ON DELETE SET NULL,
    native_id   TEXT,
    keyword     TEXT,
    cause       TEXT,
    detail      TEXT NOT NULL,
    dedupe_key  TEXT UNIQUE
  );
  CREATE INDEX events_at ON events (at);
  CREATE INDEX events_watch ON events (watch_id, type);
  `,
  `
  -- One row per (event, webhook), created before anything is sent, so a restart resumes it instead
  -- of sending it afresh. Rows of one digest share batch_key and message_id (one HTTP message).
  CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    webhook         TEXT NOT NULL,
    -- The webhook-id header: derived from the row, identical on every retry and replay.
    message_id      TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- A 'delivering' row whose lease ran out belongs to an alerter that stopped mid-request.
    leased_until    INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    batch_key       TEXT,
    -- The event as sent (standard payload JSON), fixed at enqueue so retries carry the same body.
    payload         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    UNIQUE (event_id, webhook)
  );
  CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
  CREATE INDEX deliveries_message ON deliveries (webhook, message_id);

  -- How far the alerter has read the events table.
  CREATE TABLE alert_cursors (
    name           TEXT PRIMARY KEY,
    last_event_id  INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- Comments seen in comment threads (targets of kind 'thread'). Only what a reader sees is kept:
  -- never an account id (NetEase user.id encodes the commenter's account name or e-mail).
  CREATE TABLE comments (
    target_id     INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    comment_id    TEXT NOT NULL,
    author        TEXT,
    location      TEXT,
    text          TEXT NOT NULL,
    created_at    INTEGER,
    first_seen_at INTEGER NOT NULL,
    -- Last time it was listed and not marked deleted.
    last_seen_at  INTEGER NOT NULL,
    gone_at       INTEGER,
    PRIMARY KEY (target_id, comment_id)
  ) WITHOUT ROWID;
  CREATE INDEX comments_gone ON comments (gone_at) WHERE gone_at IS NOT NULL;

  -- Last status flags of each thread, JSON {flag: true|false}, to tell when one turns off.
  CREATE TABLE comment_threads (
    target_id   INTEGER PRIMARY KEY REFERENCES targets(id) ON DELETE CASCADE,
    flags       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
  );
  `,
  `
  -- A post missing from its author's timeline although it should be listed there: when that was
  -- first seen, and whether the post.unlisted event for it has been emitted.
  ALTER TABLE targets ADD COLUMN unlisted_at INTEGER;
  ALTER TABLE targets ADD COLUMN unlisted_reported INTEGER NOT NULL DEFAULT 0;
  `,
];
