/// The store's tables on PostgreSQL: the SQLite schema's tables and columns (docs/store.md), in
/// PostgreSQL's types, inside one PostgreSQL schema (`looplab` unless the URL says `schema=`).
///
/// Differences, each for a reason: timestamps are `timestamptz`; trials, notes and model versions
/// carry a `token` (a UUID the inserting process makes) so an insert whose commit acknowledgement
/// was lost to a server restart is found, not repeated; full-text search is a `tsvector` column per
/// table (GIN-indexed) instead of one FTS5 table; artifacts may keep their bytes in
/// `artifact_blobs`. Versions are rows of `schema_versions`; this Looplab knows ``versions``.
enum PostgresSchema {
    static let versions = ["pg1"]

    /// A lock every process takes while it creates or checks the schema, so that workers
    /// starting together do not race to create it.
    static let creationLock: Int64 = 0x4C4F_4F50_4C41_4231  // "LOOPLAB1"

    /// A claim in one round trip (see `PostgresStore.claimTrial`): under a lock on the study's
    /// row, a repeated call (same token) finds its trial; trials past their lease go stale (and
    /// nothing is started: the caller proposes their configurations first); the
    /// running trials of other processes on the caller's host are returned as `suspects` (only
    /// the caller can tell whether those processes still live); then the limit, the taken
    /// configuration, and the insert. `next_number` bounds the count from above, so the exact
    /// count (a scan of the study) runs only near the limit. Numbers come from the study's
    /// `next_number`, not `max(number)`: a finished trial leaves a dead index entry behind (its
    /// update changes indexed columns), and scans over them grow with the study until vacuum.
    static func claimFunction(_ s: String) -> String {
        """
        CREATE FUNCTION \(s).claim_trial(p_study bigint, p_params text, p_max integer, p_allow_repeat boolean,
          p_lease double precision, p_host text, p_pid integer, p_now timestamptz, p_token uuid)
        RETURNS TABLE (outcome text, held integer, suspects integer[], id bigint, study_id bigint, number integer,
          params text, state text, metrics text, value double precision, error text, seed bigint, started_at timestamptz,
          finished_at timestamptz, heartbeat_at timestamptz, pid integer, host text, repeat_of integer, repeat_index integer)
        LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        DECLARE
          v_outcome text;
          v_count integer := 0;
          v_suspects integer[];
          v_trial bigint;
          v_stale bigint[];
        BEGIN
          PERFORM 1 FROM \(s).studies s WHERE s.id = p_study FOR UPDATE;
          IF NOT FOUND THEN
            v_outcome := 'no_study';
          ELSE
            SELECT t.id INTO v_trial FROM \(s).trials t WHERE t.token = p_token;
            IF v_trial IS NOT NULL THEN
              v_outcome := 'started';
            ELSE
              -- One pass over the study's running trials: those past their lease, and the
              -- processes of this host the caller must check.
              SELECT array_agg(t.id) FILTER (WHERE t.heartbeat_at < p_now - make_interval(secs => p_lease)),
                     array_agg(DISTINCT t.pid) FILTER (WHERE t.host = p_host AND t.pid <> p_pid)
              INTO v_stale, v_suspects
              FROM \(s).trials t WHERE t.study_id = p_study AND t.state = 'running';
              IF v_stale IS NOT NULL THEN
                UPDATE \(s).trials t SET state = 'stale',
                  error = 'stale: no heartbeat for ' || floor(extract(epoch FROM p_now - t.heartbeat_at))::bigint
                          || ' s (lease ' || floor(p_lease)::bigint || ' s)'
                WHERE t.id = ANY(v_stale) AND t.state = 'running';
              END IF;
              IF p_max IS NOT NULL THEN
                SELECT s.next_number INTO v_count FROM \(s).studies s WHERE s.id = p_study;
                IF v_count >= p_max THEN
                  SELECT count(*) INTO v_count FROM \(s).trials t
                  WHERE t.study_id = p_study AND t.state <> 'stale' AND t.repeat_of IS NULL;
                END IF;
              END IF;
              IF v_stale IS NOT NULL THEN
                -- One row per trial marked stale.
                RETURN QUERY SELECT 'orphans'::text, 0, v_suspects, t.id, t.study_id, t.number, t.params, t.state, t.metrics,
                  t.value, t.error, t.seed, t.started_at, t.finished_at, t.heartbeat_at, t.pid, t.host, t.repeat_of, t.repeat_index
                FROM \(s).trials t WHERE t.id = ANY(v_stale) ORDER BY t.id;
                RETURN;
              ELSIF p_max IS NOT NULL AND v_count >= p_max THEN
                v_outcome := 'limit';
              ELSE
                IF NOT p_allow_repeat THEN
                  SELECT t.id INTO v_trial FROM \(s).trials t
                  WHERE t.study_id = p_study AND md5(t.params) = md5(p_params) AND t.params = p_params AND t.state <> 'stale'
                  ORDER BY t.number LIMIT 1;
                END IF;
                IF v_trial IS NOT NULL THEN
                  v_outcome := 'taken';
                ELSE
                  UPDATE \(s).studies s SET next_number = s.next_number + 1 WHERE s.id = p_study RETURNING s.next_number - 1 INTO v_count;
                  INSERT INTO \(s).trials AS t (study_id, number, params, state, started_at, heartbeat_at, pid, host, token)
                  VALUES (p_study, v_count, p_params, 'running', p_now, p_now, p_pid, p_host, p_token)
                  RETURNING t.id INTO v_trial;
                  v_outcome := 'started';
                END IF;
              END IF;
            END IF;
          END IF;
          RETURN QUERY SELECT v_outcome, v_count, v_suspects, t.id, t.study_id, t.number, t.params, t.state, t.metrics, t.value,
            t.error, t.seed, t.started_at, t.finished_at, t.heartbeat_at, t.pid, t.host, t.repeat_of, t.repeat_index
          FROM (SELECT 1) one LEFT JOIN \(s).trials t ON t.id = v_trial;
        END $$
        """
    }

    static func statements(schema: String) -> [String] {
        [
            "CREATE SCHEMA IF NOT EXISTS \(schema)",
            "CREATE TABLE \(schema).schema_versions (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            """
            CREATE TABLE \(schema).studies (
              id bigserial PRIMARY KEY,
              name text NOT NULL UNIQUE,
              description text NOT NULL DEFAULT '',
              space text NOT NULL DEFAULT '{}',
              goal_metric text,
              goal_direction text NOT NULL DEFAULT 'minimize' CHECK (goal_direction IN ('minimize', 'maximize')),
              strategy text NOT NULL DEFAULT 'random',
              seed bigint,
              settings text NOT NULL DEFAULT '{}',
              stop_reason text,
              -- The number the study's next trial gets (every insert of a trial takes it under
              -- the study row's lock).
              next_number integer NOT NULL DEFAULT 0,
              created_at timestamptz NOT NULL,
              updated_at timestamptz NOT NULL,
              search tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', name), 'A') ||
                setweight(to_tsvector('english', description || ' ' || coalesce(goal_metric, '') || ' ' || strategy
                                                 || ' ' || coalesce(stop_reason, '')), 'B')) STORED
            )
            """,
            """
            CREATE TABLE \(schema).trials (
              id bigserial PRIMARY KEY,
              study_id bigint NOT NULL REFERENCES \(schema).studies(id) ON DELETE CASCADE,
              number integer NOT NULL,
              params text NOT NULL DEFAULT '{}',
              state text NOT NULL CHECK (state IN
                ('running', 'complete', 'failed', 'pruned', 'diverged', 'interrupted', 'stale')),
              metrics text NOT NULL DEFAULT '{}',
              value double precision,
              error text,
              seed bigint,
              started_at timestamptz NOT NULL,
              finished_at timestamptz,
              heartbeat_at timestamptz NOT NULL,
              pid integer,
              host text,
              repeat_of integer,
              repeat_index integer NOT NULL DEFAULT 0,
              token uuid UNIQUE,
              search tsvector,
              UNIQUE (study_id, number)
            )
            """,
            "CREATE INDEX trials_by_state ON \(schema).trials (study_id, state)",
            // Every trial is updated once (running to finished) and that update cannot be HOT, so
            // dead index entries pile up at one per trial: vacuum after a few hundred, not after
            // a fifth of the table.
            "ALTER TABLE \(schema).trials SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500)",
            // By a hash of the parameters: a claim looks a configuration up, and a long params
            // text would not fit a b-tree entry.
            "CREATE INDEX trials_by_params ON \(schema).trials (study_id, md5(params))",
            "CREATE INDEX trials_search ON \(schema).trials USING gin (search)",
            // A trial is found by its study's name, its state, its parameter values (not their
            // names) and its error.
            """
            CREATE FUNCTION \(schema).trials_search() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.search := setweight(to_tsvector('english', coalesce((SELECT name FROM \(schema).studies WHERE id = NEW.study_id), '')), 'A')
                || setweight(to_tsvector('english', NEW.state || ' '
                     || coalesce((SELECT string_agg(value, ' ') FROM jsonb_each_text(NEW.params::jsonb)), '')
                     || ' ' || coalesce(NEW.error, '')), 'B');
              RETURN NEW;
            END $$
            """,
            """
            CREATE TRIGGER trials_search BEFORE INSERT OR UPDATE OF state, params, error ON \(schema).trials
            FOR EACH ROW EXECUTE FUNCTION \(schema).trials_search()
            """,
            """
            CREATE TABLE \(schema).trial_reports (
              trial_id bigint NOT NULL REFERENCES \(schema).trials(id) ON DELETE CASCADE,
              step bigint NOT NULL,
              value double precision,
              reported_at timestamptz NOT NULL,
              PRIMARY KEY (trial_id, step)
            )
            """,
            """
            CREATE TABLE \(schema).notes (
              id bigserial PRIMARY KEY,
              text text NOT NULL DEFAULT '',
              tags text NOT NULL DEFAULT '[]',
              key text UNIQUE,
              value text,
              study_id bigint REFERENCES \(schema).studies(id) ON DELETE SET NULL,
              trial_id bigint REFERENCES \(schema).trials(id) ON DELETE SET NULL,
              created_at timestamptz NOT NULL,
              updated_at timestamptz NOT NULL,
              token uuid UNIQUE,
              search tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', coalesce(key, '')), 'A') ||
                setweight(to_tsvector('english', text || ' ' || tags || ' ' || coalesce(value, '')), 'B')) STORED
            )
            """,
            "CREATE INDEX notes_search ON \(schema).notes USING gin (search)",
            "CREATE INDEX studies_search ON \(schema).studies USING gin (search)",
            """
            CREATE TABLE \(schema).artifacts (
              sha256 text PRIMARY KEY CHECK (length(sha256) = 64),
              kind text NOT NULL,
              size bigint NOT NULL,
              path text NOT NULL,
              name text,
              created_at timestamptz NOT NULL
            )
            """,
            // The bytes of artifacts kept in the database (no `artifacts=` directory given).
            """
            CREATE TABLE \(schema).artifact_blobs (
              sha256 text PRIMARY KEY REFERENCES \(schema).artifacts(sha256) ON DELETE CASCADE,
              data bytea NOT NULL
            )
            """,
            """
            CREATE TABLE \(schema).trial_artifacts (
              trial_id bigint NOT NULL REFERENCES \(schema).trials(id) ON DELETE CASCADE,
              role text NOT NULL,
              artifact_sha256 text NOT NULL REFERENCES \(schema).artifacts(sha256),
              created_at timestamptz NOT NULL,
              PRIMARY KEY (trial_id, role)
            )
            """,
            """
            CREATE TABLE \(schema).models (
              id bigserial PRIMARY KEY,
              name text NOT NULL,
              version integer NOT NULL,
              status text NOT NULL CHECK (status IN ('promoted', 'rejected', 'rolled_back')),
              metrics text NOT NULL DEFAULT '{}',
              artifact_sha256 text REFERENCES \(schema).artifacts(sha256),
              trial_id bigint REFERENCES \(schema).trials(id) ON DELETE SET NULL,
              gate text NOT NULL DEFAULT '{}',
              created_at timestamptz NOT NULL,
              token uuid UNIQUE,
              UNIQUE (name, version)
            )
            """,
            """
            CREATE TABLE \(schema).skills (
              id bigserial PRIMARY KEY,
              name text NOT NULL,
              version text NOT NULL,
              sha256 text NOT NULL,
              source text NOT NULL,
              permissions text NOT NULL DEFAULT '{}',
              installed_at timestamptz NOT NULL,
              UNIQUE (name, version)
            )
            """,
            """
            CREATE TABLE \(schema).skill_uses (
              skill text NOT NULL,
              sha256 text NOT NULL,
              trial_id bigint NOT NULL REFERENCES \(schema).trials(id) ON DELETE CASCADE,
              used_at timestamptz NOT NULL,
              PRIMARY KEY (skill, sha256, trial_id)
            )
            """,
            claimFunction(schema),
            "INSERT INTO \(schema).schema_versions (version) VALUES ('pg1')",
        ]
    }
}
