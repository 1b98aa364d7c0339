/// The initial schema, as plain SQL so that docs/store.md and `sqlite3 .schema` read the same.
///
/// Timestamps are UTC text (`YYYY-MM-DD HH:MM:SS.SSS`, sortable); JSON columns hold text JSON that
/// SQLite's `json_extract` reads. Full-text search lives in one FTS5 table, `search`, kept in step
/// by triggers; its rowid encodes the source row (`id * 4 + kind`: 1 note, 2 study, 3 trial) so
/// an update touches one search row instead of scanning.
enum SchemaV1 {
    static let statements: [String] = [
        """
        CREATE TABLE studies (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          description TEXT NOT NULL DEFAULT '',
          space TEXT NOT NULL DEFAULT '{}',
          goal_metric TEXT,
          goal_direction TEXT NOT NULL DEFAULT 'minimize'
            CHECK (goal_direction IN ('minimize', 'maximize')),
          strategy TEXT NOT NULL DEFAULT 'random',
          seed INTEGER,
          settings TEXT NOT NULL DEFAULT '{}',
          stop_reason TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE trials (
          id INTEGER PRIMARY KEY,
          study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
          number INTEGER NOT NULL,
          params TEXT NOT NULL DEFAULT '{}',
          state TEXT NOT NULL CHECK (state IN
            ('running', 'complete', 'failed', 'pruned', 'diverged', 'interrupted', 'stale')),
          metrics TEXT NOT NULL DEFAULT '{}',
          value REAL,
          error TEXT,
          seed INTEGER,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          heartbeat_at TEXT NOT NULL,
          pid INTEGER,
          host TEXT,
          UNIQUE (study_id, number)
        )
        """,
        "CREATE INDEX trials_by_state ON trials(study_id, state)",
        """
        CREATE TABLE trial_reports (
          trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
          step INTEGER NOT NULL,
          value REAL,
          reported_at TEXT NOT NULL,
          PRIMARY KEY (trial_id, step)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE notes (
          id INTEGER PRIMARY KEY,
          text TEXT NOT NULL DEFAULT '',
          tags TEXT NOT NULL DEFAULT '[]',
          key TEXT UNIQUE,
          value TEXT,
          study_id INTEGER REFERENCES studies(id) ON DELETE SET NULL,
          trial_id INTEGER REFERENCES trials(id) ON DELETE SET NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE artifacts (
          sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
          kind TEXT NOT NULL,
          size INTEGER NOT NULL,
          path TEXT NOT NULL,
          name TEXT,
          created_at TEXT NOT NULL
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE models (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          version INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('promoted', 'rejected', 'rolled_back')),
          metrics TEXT NOT NULL DEFAULT '{}',
          artifact_sha256 TEXT REFERENCES artifacts(sha256),
          trial_id INTEGER REFERENCES trials(id) ON DELETE SET NULL,
          gate TEXT NOT NULL DEFAULT '{}',
          created_at TEXT NOT NULL,
          UNIQUE (name, version)
        )
        """,
        """
        CREATE TABLE skills (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          version TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          source TEXT NOT NULL,
          permissions TEXT NOT NULL DEFAULT '{}',
          installed_at TEXT NOT NULL,
          UNIQUE (name, version)
        )
        """,
        """
        CREATE VIRTUAL TABLE search USING fts5(
          kind UNINDEXED, ref UNINDEXED, title, body, tokenize = 'porter unicode61'
        )
        """,
        // Notes: the key (for key/value memory) is the title; text, tags and value the body.
        """
        CREATE TRIGGER notes_search_insert AFTER INSERT ON notes BEGIN
          INSERT INTO search(rowid, kind, ref, title, body) VALUES (new.id * 4 + 1, 'note', new.id,
            coalesce(new.key, ''), new.text || ' ' || new.tags || coalesce(' ' || new.value, ''));
        END
        """,
        """
        CREATE TRIGGER notes_search_update AFTER UPDATE OF text, tags, key, value ON notes BEGIN
          DELETE FROM search WHERE rowid = old.id * 4 + 1;
          INSERT INTO search(rowid, kind, ref, title, body) VALUES (new.id * 4 + 1, 'note', new.id,
            coalesce(new.key, ''), new.text || ' ' || new.tags || coalesce(' ' || new.value, ''));
        END
        """,
        "CREATE TRIGGER notes_search_delete AFTER DELETE ON notes BEGIN DELETE FROM search WHERE rowid = old.id * 4 + 1; END",
        """
        CREATE TRIGGER studies_search_insert AFTER INSERT ON studies BEGIN
          INSERT INTO search(rowid, kind, ref, title, body) VALUES (new.id * 4 + 2, 'study', new.id,
            new.name, new.description || ' ' || coalesce(new.goal_metric, '') || ' ' || new.strategy
            || coalesce(' ' || new.stop_reason, ''));
        END
        """,
        """
        CREATE TRIGGER studies_search_update AFTER UPDATE OF name, description, goal_metric, strategy,
          stop_reason ON studies BEGIN
          DELETE FROM search WHERE rowid = old.id * 4 + 2;
          INSERT INTO search(rowid, kind, ref, title, body) VALUES (new.id * 4 + 2, 'study', new.id,
            new.name, new.description || ' ' || coalesce(new.goal_metric, '') || ' ' || new.strategy
            || coalesce(' ' || new.stop_reason, ''));
        END
        """,
        "CREATE TRIGGER studies_search_delete AFTER DELETE ON studies BEGIN DELETE FROM search WHERE rowid = old.id * 4 + 2; END",
        // Trials: heartbeats and reports do not touch the indexed columns, so they cost no FTS work.
        """
        CREATE TRIGGER trials_search_insert AFTER INSERT ON trials BEGIN
          INSERT INTO search(rowid, kind, ref, title, body) VALUES (new.id * 4 + 3, 'trial', new.id,
            (SELECT name FROM studies WHERE id = new.study_id) || ' #' || new.number,
            new.state || ' ' || new.params || coalesce(' ' || new.error, ''));
        END
        """,
        """
        CREATE TRIGGER trials_search_update AFTER UPDATE OF state, params, error ON trials BEGIN
          DELETE FROM search WHERE rowid = old.id * 4 + 3;
          INSERT INTO search(rowid, kind, ref, title, body) VALUES (new.id * 4 + 3, 'trial', new.id,
            (SELECT name FROM studies WHERE id = new.study_id) || ' #' || new.number,
            new.state || ' ' || new.params || coalesce(' ' || new.error, ''));
        END
        """,
        "CREATE TRIGGER trials_search_delete AFTER DELETE ON trials BEGIN DELETE FROM search WHERE rowid = old.id * 4 + 3; END",
    ]
}
