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
  `
  -- Views for outside tools (Datasette, DB Browser for SQLite, pandas, R): the export columns,
  -- times as ISO 8601 UTC, without knowing the internal tables. Described in docs/columns.md.
  CREATE VIEW v_targets AS
  SELECT t.platform AS platform, t.kind AS kind, t.native_id AS id, t.url AS url,
    (SELECT group_concat(watch_id, ';') FROM (SELECT watch_id FROM target_watches tw
       WHERE tw.target_id = t.id ORDER BY watch_id)) AS watches,
    t.verdict AS verdict,
    CASE WHEN t.verdict = 'gone' THEN t.cause END AS cause,
    strftime('%Y-%m-%dT%H:%M:%fZ', t.created_at / 1000.0, 'unixepoch') AS createdAt,
    strftime('%Y-%m-%dT%H:%M:%fZ', t.first_seen_at / 1000.0, 'unixepoch') AS firstSeenAt,
    strftime('%Y-%m-%dT%H:%M:%fZ', t.last_alive_at / 1000.0, 'unixepoch') AS lastAliveAt,
    CASE WHEN t.verdict = 'gone' THEN strftime('%Y-%m-%dT%H:%M:%fZ', t.gone_at / 1000.0, 'unixepoch') END AS goneAt,
    CASE WHEN t.verdict = 'gone' THEN (SELECT o.message FROM observations o
       WHERE o.target_id = t.id AND o.at >= t.gone_at AND o.outcome IN ('deleted_by_author', 'removed_by_platform', 'restricted', 'account_gone', 'gone_unspecified')
       ORDER BY o.outcome = t.cause DESC, o.at, o.id LIMIT 1) END AS notice,
    (SELECT group_concat(k, ';') FROM (SELECT DISTINCT substr(via, 9) AS k FROM target_watches tw
       WHERE tw.target_id = t.id AND via LIKE 'keyword:%' ORDER BY watch_id)) AS keywords,
    t.edit_count AS editCount, t.observations AS observations,
    COALESCE(t.author_name, t.author_id) AS author, t.author_id AS authorId,
    COALESCE(t.last_alive_text, (SELECT json_extract(o.content, '$.text') FROM observations o
       WHERE o.target_id = t.id AND o.content IS NOT NULL ORDER BY o.id DESC LIMIT 1)) AS text
  FROM targets t;

  CREATE VIEW v_observations AS
  SELECT t.platform AS platform, t.kind AS kind, t.native_id AS id, o.id AS observationId,
    strftime('%Y-%m-%dT%H:%M:%fZ', o.at / 1000.0, 'unixepoch') AS at,
    o.endpoint AS endpoint, o.outcome AS outcome,
    CASE WHEN o.outcome IN ('deleted_by_author', 'removed_by_platform', 'restricted', 'account_gone', 'gone_unspecified') THEN 'final' WHEN o.outcome = 'alive' THEN 'alive' ELSE 'transient' END AS outcomeKind,
    o.message AS message, o.http_status AS httpStatus, o.url AS url, o.final_url AS finalUrl,
    o.content_hash AS contentHash, json_extract(o.content, '$.text') AS text,
    o.body_hash AS bodySha256, o.body_kept AS bodyKept, o.chain AS chain
  FROM observations o JOIN targets t ON t.id = o.target_id;

  CREATE VIEW v_events AS
  SELECT e.id AS eventId, e.type AS type,
    strftime('%Y-%m-%dT%H:%M:%fZ', e.at / 1000.0, 'unixepoch') AS at,
    e.watch_id AS watch, e.platform AS platform, e.native_id AS targetId, t.kind AS kind,
    COALESCE(e.keyword, CASE WHEN e.type = 'post.discovered' AND json_extract(e.detail, '$.via') LIKE 'keyword:%'
      THEN substr(json_extract(e.detail, '$.via'), 9) END) AS keyword,
    e.cause AS cause, e.detail AS detail
  FROM events e LEFT JOIN targets t ON t.id = e.target_id;

  CREATE VIEW v_gone AS
  SELECT v.platform, v.kind, v.id, v.url, v.watches, v.cause, v.createdAt, v.lastAliveAt, v.goneAt,
    CASE WHEN t.last_alive_at IS NOT NULL THEN (t.gone_at - t.last_alive_at) / 60000.0 END AS windowMinutes,
    v.notice,
    (SELECT o.body_hash FROM observations o WHERE o.target_id = t.id AND o.at >= t.gone_at
       AND o.outcome IN ('deleted_by_author', 'removed_by_platform', 'restricted', 'account_gone', 'gone_unspecified') ORDER BY o.outcome = t.cause DESC, o.at, o.id LIMIT 1) AS evidenceSha256,
    v.author, v.authorId, v.text AS lastAliveText
  FROM v_targets v JOIN targets t ON t.platform = v.platform AND t.kind = v.kind AND t.native_id = v.id
  WHERE t.verdict = 'gone';
  `,
  `
  -- One log over every observation in the database, in insertion order: each head is the SHA-256 of
  -- the previous head, a newline and the SHA-256 of the observation's facts line (store/log.ts). No foreign key:
  -- the entries of a deleted target stay, so its deletion shows as entries whose observations are missing.
  CREATE TABLE log_entries (
    seq             INTEGER PRIMARY KEY,
    observation_id  INTEGER NOT NULL,
    prev            TEXT NOT NULL,
    head            TEXT NOT NULL
  );
  -- Not unique: an observation id freed by a deleted target may be taken again, and the old entry
  -- must then fail verification rather than block the new observation.
  CREATE INDEX log_entries_observation ON log_entries (observation_id);

  -- The raw exchange behind an observation, content-addressed: the request head, the response head
  -- (status line and headers as received) and the body are blobs, so an unchanged response adds
  -- only this row. sha256 covers the three digests and is what the observation's log entry commits to.
  CREATE TABLE captures (
    observation_id  INTEGER PRIMARY KEY,
    request_hash    TEXT,
    response_hash   TEXT,
    payload_hash    TEXT,
    sha256          TEXT NOT NULL
  );
  `,
  `
  -- Who this database is: a random id given once, when the database is created (or first opened by
  -- a writer that knows this migration). Work queued for it in Redis carries the id, so a new
  -- database that numbers its rows from 1 again can never be taken for an old one.
  CREATE TABLE database_identity (
    one         INTEGER PRIMARY KEY CHECK (one = 1),
    id          TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  );
  INSERT INTO database_identity (one, id, created_at)
  VALUES (1, lower(hex(randomblob(16))), CAST(unixepoch('subsec') * 1000 AS INTEGER));

  -- Keys of the distributed results already applied, written in the same transaction as the result,
  -- so a redelivered result changes nothing. IF NOT EXISTS: recorders before this migration created
  -- it themselves.
  CREATE TABLE IF NOT EXISTS distributed_applied (
    key TEXT PRIMARY KEY,
    at  INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- Embedded runs, so a run that starts can tell a lease held by a process that no longer runs
  -- (killed, crashed) from one held by a live run, and take the dead one's work back at once.
  CREATE TABLE runs (
    id          TEXT PRIMARY KEY,
    pid         INTEGER NOT NULL,
    hostname    TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    -- Last sign of life; a run on another host is judged by it.
    seen_at     INTEGER NOT NULL,
    ended_at    INTEGER
  );
  -- Who holds a lease (a runs.id); NULL for leases of distributed schedulers, which expire instead.
  ALTER TABLE sources ADD COLUMN leased_by TEXT;
  ALTER TABLE targets ADD COLUMN leased_by TEXT;
  `,
  `
  -- RFC 3161 time-stamps of the log's head: what was stamped (seq, head), when it was asked, and
  -- the TSA's whole reply (a .tsr), or why it failed. Failures are kept so status can report them.
  CREATE TABLE timestamps (
    id            INTEGER PRIMARY KEY,
    seq           INTEGER NOT NULL,
    head          TEXT NOT NULL,
    requested_at  INTEGER NOT NULL,
    tsa_url       TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('granted', 'failed')),
    reply         BLOB,
    gen_time      INTEGER,
    error         TEXT
  );
  CREATE INDEX timestamps_seq ON timestamps (state, seq);
  `,
  `
  -- Screenshots of the page a person would open, wanted on a post's first alive observation, on
  -- each edit and on the first gone observation after it was alive, and taken later by the
  -- screenshot worker, off the check path. The PNG is a blob (png_sha256); a failed attempt waits
  -- until next_try_at. 'pruned' rows lost their PNG to the retention limits and keep its digest.
  CREATE TABLE screenshots (
    id              INTEGER PRIMARY KEY,
    target_id       INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    observation_id  INTEGER NOT NULL,
    reason          TEXT NOT NULL CHECK (reason IN ('first', 'edit', 'gone')),
    wanted_at       INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'wanted' CHECK (state IN ('wanted', 'taken', 'failed', 'pruned')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_try_at     INTEGER,
    error           TEXT,
    url             TEXT NOT NULL,
    final_url       TEXT,
    http_status     INTEGER,
    taken_at        INTEGER,
    png_sha256      TEXT,
    bytes           INTEGER,
    width           INTEGER,
    height          INTEGER,
    page_text       TEXT,
    UNIQUE (observation_id, reason)
  );
  CREATE INDEX screenshots_due ON screenshots (next_try_at) WHERE state = 'wanted';
  CREATE INDEX screenshots_target ON screenshots (target_id);
  -- How far the log has been read for screenshots to want. A database that had observations before
  -- this migration starts at its head: a screenshot taken now would not show their past.
  CREATE TABLE screenshot_scan (
    one  INTEGER PRIMARY KEY CHECK (one = 1),
    seq  INTEGER NOT NULL
  );
  INSERT INTO screenshot_scan (one, seq) VALUES (1, COALESCE((SELECT MAX(seq) FROM log_entries), 0));
  `,
  `
  -- Requests spent per platform, budget class and minute (src/engine/budget.ts), written by the
  -- recorder as results arrive, so status and metrics show the hour's split in either mode and a
  -- restarted run does not grant the same hour's budget twice. Rows older than a day are pruned.
  CREATE TABLE budget_spend (
    platform  TEXT NOT NULL,
    class     TEXT NOT NULL,
    minute    INTEGER NOT NULL,
    requests  INTEGER NOT NULL,
    PRIMARY KEY (platform, class, minute)
  ) WITHOUT ROWID;
  `,
  `
  -- Watch problems: per configured keyword or account (a source) and per configured post URL (a
  -- target), the streak the problem rules track and the problem open now (src/domain/problems.ts).
  -- One row per item; its onsets are events (watch.problem), so history is in the events table.
  CREATE TABLE watch_problems (
    subject      TEXT PRIMARY KEY,        -- 'source:<id>' or 'target:<id>'
    source_id    INTEGER REFERENCES sources(id) ON DELETE CASCADE,
    target_id    INTEGER REFERENCES targets(id) ON DELETE CASCADE,
    streak_kind  TEXT,
    streak_count INTEGER NOT NULL DEFAULT 0,
    streak_since INTEGER,
    problem      TEXT,                    -- the open problem's kind; NULL when none is open
    opened_at    INTEGER,                 -- when the streak that opened it began
    message      TEXT,                    -- the platform's or adapter's words on the last failure
    cleared_at   INTEGER,                 -- when the last problem cleared
    updated_at   INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX watch_problems_open ON watch_problems (problem) WHERE problem IS NOT NULL;
  `,
  `
  -- Each keyword's or account's current discovery interval (src/domain/discovery-cadence.ts): it
  -- shrinks while rounds find new posts and grows while they do not. No row: discoverEvery.
  CREATE TABLE source_cadence (
    source_id    INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    interval_ms  INTEGER NOT NULL,
    -- What the last round found, for status: new targets, and when.
    last_new     INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
  );
  `,
  `
  -- Storage per check cut to what differs from the check before (bench/evidence-storage.ts).
  -- Observations: an observation whose endpoint, outcome, notice, status, URLs, content digest and
  -- body digest are those of the target's previous one stores only its time, chain, key and \`ref\`,
  -- the row that holds the shared ones; the chain is 32 bytes, not 64 hex characters (older rows keep their text).
  -- A check's own key (\`c-<target row>-<n>#<i>\`, src/engine/scheduler.ts) is kept as the number
  -- n*16+i in \`check_no\`, unique per target; other keys as text, in an index of only the rows
  -- that have one. The view \`observations\` shows every row whole, as the table did, and its
  -- triggers keep raw writes to it working.
  CREATE TABLE observation_rows (
    id            INTEGER PRIMARY KEY,
    target_id     INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    endpoint      TEXT,
    outcome       TEXT,
    message       TEXT,
    http_status   INTEGER,
    url           TEXT,
    final_url     TEXT,
    content_hash  TEXT,
    content       TEXT,
    body_hash     TEXT,
    body_kept     INTEGER NOT NULL DEFAULT 0,
    chain         NOT NULL,
    dedupe_key    TEXT,
    ref           INTEGER,
    check_no      INTEGER
  );
  INSERT INTO observation_rows (id, target_id, at, endpoint, outcome, message, http_status, url, final_url,
    content_hash, content, body_hash, body_kept, chain, dedupe_key)
  SELECT id, target_id, at, endpoint, outcome, message, http_status, url, final_url,
    content_hash, content, body_hash, body_kept, chain, dedupe_key FROM observations;
  DROP TABLE observations;
  CREATE INDEX observation_rows_target ON observation_rows (target_id, id);
  CREATE UNIQUE INDEX observation_rows_dedupe ON observation_rows (dedupe_key) WHERE dedupe_key IS NOT NULL;
  CREATE UNIQUE INDEX observation_rows_check ON observation_rows (target_id, check_no) WHERE check_no IS NOT NULL;
  CREATE VIEW observations AS
  SELECT o.id AS id, o.target_id AS target_id, o.at AS at,
    IIF(o.ref IS NULL, o.endpoint, r.endpoint) AS endpoint, IIF(o.ref IS NULL, o.outcome, r.outcome) AS outcome,
    IIF(o.ref IS NULL, o.message, r.message) AS message,
    IIF(o.ref IS NULL, o.http_status, r.http_status) AS http_status,
    IIF(o.ref IS NULL, o.url, r.url) AS url, IIF(o.ref IS NULL, o.final_url, r.final_url) AS final_url,
    IIF(o.ref IS NULL, o.content_hash, r.content_hash) AS content_hash, o.content AS content,
    IIF(o.ref IS NULL, o.body_hash, r.body_hash) AS body_hash, o.body_kept AS body_kept,
    IIF(typeof(o.chain) = 'blob', lower(hex(o.chain)), o.chain) AS chain,
    IIF(o.check_no IS NULL, o.dedupe_key, 'c-' || o.target_id || '-' || (o.check_no >> 4) || '#' || (o.check_no & 15)) AS dedupe_key
  FROM observation_rows o LEFT JOIN observation_rows r ON r.id = o.ref;
  CREATE TRIGGER observations_insert INSTEAD OF INSERT ON observations BEGIN
    INSERT INTO observation_rows (id, target_id, at, endpoint, outcome, message, http_status, url, final_url,
      content_hash, content, body_hash, body_kept, chain, dedupe_key)
    VALUES (NEW.id, NEW.target_id, NEW.at, NEW.endpoint, NEW.outcome, NEW.message, NEW.http_status, NEW.url,
      NEW.final_url, NEW.content_hash, NEW.content, NEW.body_hash, COALESCE(NEW.body_kept, 0), NEW.chain, NEW.dedupe_key);
  END;
  -- A row written through the view is stored whole: what it shows is then what it holds.
  CREATE TRIGGER observations_update INSTEAD OF UPDATE ON observations BEGIN
    UPDATE observation_rows SET id = NEW.id, target_id = NEW.target_id, at = NEW.at, endpoint = NEW.endpoint,
      outcome = NEW.outcome, message = NEW.message, http_status = NEW.http_status, url = NEW.url,
      final_url = NEW.final_url, content_hash = NEW.content_hash, content = NEW.content, body_hash = NEW.body_hash,
      body_kept = NEW.body_kept, chain = NEW.chain, dedupe_key = NEW.dedupe_key, ref = NULL, check_no = NULL
    WHERE id = OLD.id;
  END;
  CREATE TRIGGER observations_delete INSTEAD OF DELETE ON observations BEGIN
    DELETE FROM observation_rows WHERE id = OLD.id;
  END;

  -- Log entries keep their head as 32 bytes; an entry's previous head is the head of the entry
  -- before it, so it is no longer stored twice.
  CREATE TABLE log_entries_v2 (
    seq             INTEGER PRIMARY KEY,
    observation_id  INTEGER NOT NULL,
    head            BLOB NOT NULL
  );
  INSERT INTO log_entries_v2 (seq, observation_id, head) SELECT seq, observation_id, unhex(head) FROM log_entries;
  DROP TABLE log_entries;
  ALTER TABLE log_entries_v2 RENAME TO log_entries;
  CREATE INDEX log_entries_observation ON log_entries (observation_id);

  -- Captures: an unchanged response is a revisit (as in WARC): \`refers_to\` names the observation
  -- whose capture holds the request and response documents, \`patch\` the response header values
  -- that differ ([exchange, header, value] triples; the Date header, mostly), and the digests are
  -- derived. Other captures keep their documents' digests as before.
  CREATE TABLE captures_v2 (
    observation_id  INTEGER PRIMARY KEY,
    request_hash    TEXT,
    response_hash   TEXT,
    payload_hash    TEXT,
    sha256          TEXT,
    refers_to       INTEGER,
    patch           TEXT
  );
  INSERT INTO captures_v2 (observation_id, request_hash, response_hash, payload_hash, sha256)
  SELECT observation_id, request_hash, response_hash, payload_hash, sha256 FROM captures;
  DROP TABLE captures;
  ALTER TABLE captures_v2 RENAME TO captures;
  `,
  `
  -- A full capture keeps its response document's shape (the digest of the document without its
  -- HTTP-date header values, and those values), so a revisit of it is stored without reading and
  -- decompressing the document. Captures stored before have none until their next revisit.
  ALTER TABLE captures ADD COLUMN shape TEXT;
  `,
  `
  -- Target leases in a table of their own, one narrow row per target out in the pipeline, instead
  -- of two columns of the wide targets row: leasing 1,000 due targets of a million used to rewrite
  -- (and log to the WAL) the page of each of them, and recording the check rewrote it again. Now a
  -- lease writes a few pages of this small table, and a target without a row is not leased. Live
  -- leases are carried over.
  CREATE TABLE target_leases (
    target_id     INTEGER PRIMARY KEY REFERENCES targets(id) ON DELETE CASCADE,
    leased_until  INTEGER NOT NULL,
    -- Who holds it (a runs.id); NULL for leases of distributed schedulers, which expire instead.
    leased_by     TEXT
  );
  INSERT INTO target_leases (target_id, leased_until, leased_by)
  SELECT id, leased_until, leased_by FROM targets WHERE leased_until IS NOT NULL;
  ALTER TABLE targets DROP COLUMN leased_until;
  ALTER TABLE targets DROP COLUMN leased_by;
  `,
  `
  -- v_targets and v_gone again, readable by older SQLite (Debian 12's 3.40, behind its sqlite3
  -- command and Python's sqlite3 module, so pandas and Datasette): a gone target's notice and evidence
  -- come from its first gone observation stating the target's cause, else its first gone observation,
  -- as before, but chosen in WHERE clauses; those versions refuse an outer column in a subquery's
  -- ORDER BY ("no such column: t.cause").
  DROP VIEW v_gone;
  DROP VIEW v_targets;
  CREATE VIEW v_targets AS
  SELECT t.platform AS platform, t.kind AS kind, t.native_id AS id, t.url AS url,
    (SELECT group_concat(watch_id, ';') FROM (SELECT watch_id FROM target_watches tw
       WHERE tw.target_id = t.id ORDER BY watch_id)) AS watches,
    t.verdict AS verdict,
    CASE WHEN t.verdict = 'gone' THEN t.cause END AS cause,
    strftime('%Y-%m-%dT%H:%M:%fZ', t.created_at / 1000.0, 'unixepoch') AS createdAt,
    strftime('%Y-%m-%dT%H:%M:%fZ', t.first_seen_at / 1000.0, 'unixepoch') AS firstSeenAt,
    strftime('%Y-%m-%dT%H:%M:%fZ', t.last_alive_at / 1000.0, 'unixepoch') AS lastAliveAt,
    CASE WHEN t.verdict = 'gone' THEN strftime('%Y-%m-%dT%H:%M:%fZ', t.gone_at / 1000.0, 'unixepoch') END AS goneAt,
    CASE WHEN t.verdict = 'gone' THEN (SELECT n.message FROM observations n WHERE n.id = COALESCE(
       (SELECT o.id FROM observations o WHERE o.target_id = t.id AND o.at >= t.gone_at AND o.outcome = t.cause
          ORDER BY o.at, o.id LIMIT 1),
       (SELECT o.id FROM observations o WHERE o.target_id = t.id AND o.at >= t.gone_at AND o.outcome IN ('deleted_by_author', 'removed_by_platform', 'restricted', 'account_gone', 'gone_unspecified')
          ORDER BY o.at, o.id LIMIT 1))) END AS notice,
    (SELECT group_concat(k, ';') FROM (SELECT DISTINCT substr(via, 9) AS k FROM target_watches tw
       WHERE tw.target_id = t.id AND via LIKE 'keyword:%' ORDER BY watch_id)) AS keywords,
    t.edit_count AS editCount, t.observations AS observations,
    COALESCE(t.author_name, t.author_id) AS author, t.author_id AS authorId,
    COALESCE(t.last_alive_text, (SELECT json_extract(o.content, '$.text') FROM observations o
       WHERE o.target_id = t.id AND o.content IS NOT NULL ORDER BY o.id DESC LIMIT 1)) AS text
  FROM targets t;

  CREATE VIEW v_gone AS
  SELECT v.platform, v.kind, v.id, v.url, v.watches, v.cause, v.createdAt, v.lastAliveAt, v.goneAt,
    CASE WHEN t.last_alive_at IS NOT NULL THEN (t.gone_at - t.last_alive_at) / 60000.0 END AS windowMinutes,
    v.notice,
    (SELECT n.body_hash FROM observations n WHERE n.id = COALESCE(
       (SELECT o.id FROM observations o WHERE o.target_id = t.id AND o.at >= t.gone_at AND o.outcome = t.cause
          ORDER BY o.at, o.id LIMIT 1),
       (SELECT o.id FROM observations o WHERE o.target_id = t.id AND o.at >= t.gone_at AND o.outcome IN ('deleted_by_author', 'removed_by_platform', 'restricted', 'account_gone', 'gone_unspecified')
          ORDER BY o.at, o.id LIMIT 1))) AS evidenceSha256,
    v.author, v.authorId, v.text AS lastAliveText
  FROM v_targets v JOIN targets t ON t.platform = v.platform AND t.kind = v.kind AND t.native_id = v.id
  WHERE t.verdict = 'gone';
  `,
  `
  -- Which kind of process a run is ('run': embedded; 'recorder': the distributed role). One live
  -- row of either kind owns the database; a second refuses, naming it.
  ALTER TABLE runs ADD COLUMN role TEXT NOT NULL DEFAULT 'run';
  `,
  `
  -- When the content a target's last_alive_hash names was last observed whole: a newer text is
  -- judged against it, not against last_alive_at, which a listing's title moves too. Rows stored
  -- before take last_alive_at, the rule they were judged by until now.
  ALTER TABLE targets ADD COLUMN last_content_at INTEGER;
  UPDATE targets SET last_content_at = last_alive_at WHERE last_alive_hash IS NOT NULL;
  `,
  `
  -- One index less to write per recorded observation: a target's row names its latest observation
  -- (\`last_observation\`), which was what the index on (target_id, id) served on every check, and
  -- the index of check keys, now over every row, finds a target's observations for the reads that
  -- list them. Rows written through the view \`observations\` keep the target's pointer too.
  ALTER TABLE targets ADD COLUMN last_observation INTEGER;
  UPDATE targets SET last_observation = (SELECT MAX(o.id) FROM observation_rows o WHERE o.target_id = targets.id);
  DROP INDEX observation_rows_check;
  CREATE UNIQUE INDEX observation_rows_check ON observation_rows (target_id, check_no);
  DROP INDEX observation_rows_target;
  DROP TRIGGER observations_insert;
  CREATE TRIGGER observations_insert INSTEAD OF INSERT ON observations BEGIN
    INSERT INTO observation_rows (id, target_id, at, endpoint, outcome, message, http_status, url, final_url,
      content_hash, content, body_hash, body_kept, chain, dedupe_key)
    VALUES (NEW.id, NEW.target_id, NEW.at, NEW.endpoint, NEW.outcome, NEW.message, NEW.http_status, NEW.url,
      NEW.final_url, NEW.content_hash, NEW.content, NEW.body_hash, COALESCE(NEW.body_kept, 0), NEW.chain, NEW.dedupe_key);
    UPDATE targets SET last_observation = (SELECT MAX(o.id) FROM observation_rows o WHERE o.target_id = targets.id)
    WHERE id = NEW.target_id;
  END;
  DROP TRIGGER observations_update;
  CREATE TRIGGER observations_update INSTEAD OF UPDATE ON observations BEGIN
    UPDATE observation_rows SET id = NEW.id, target_id = NEW.target_id, at = NEW.at, endpoint = NEW.endpoint,
      outcome = NEW.outcome, message = NEW.message, http_status = NEW.http_status, url = NEW.url,
      final_url = NEW.final_url, content_hash = NEW.content_hash, content = NEW.content, body_hash = NEW.body_hash,
      body_kept = NEW.body_kept, chain = NEW.chain, dedupe_key = NEW.dedupe_key, ref = NULL, check_no = NULL
    WHERE id = OLD.id;
    UPDATE targets SET last_observation = (SELECT MAX(o.id) FROM observation_rows o WHERE o.target_id = targets.id)
    WHERE id IN (OLD.target_id, NEW.target_id);
  END;
  DROP TRIGGER observations_delete;
  CREATE TRIGGER observations_delete INSTEAD OF DELETE ON observations BEGIN
    DELETE FROM observation_rows WHERE id = OLD.id;
    UPDATE targets SET last_observation = (SELECT MAX(o.id) FROM observation_rows o WHERE o.target_id = targets.id)
    WHERE id = OLD.target_id;
  END;
  `,
];
