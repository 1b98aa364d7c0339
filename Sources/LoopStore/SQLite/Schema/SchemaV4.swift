/// v4: a trial's files (`attach(t, model)`: the checkpoint that `promote(st.best, ...)` registers),
/// trials indexed by their parameters (a claim refuses a configuration a trial already has), and
/// trials indexed for `recall` by their parameter values only. Before, the whole params JSON
/// was indexed, so a query for "layers" matched every trial of a space with a `layers` parameter.
enum SchemaV4 {
    /// The search text of a trial: its state, its parameter values (not their names), its error.
    private static let trialBody = """
        new.state || coalesce(' ' || (SELECT group_concat(value, ' ') FROM json_each(new.params)), '')
          || coalesce(' ' || new.error, '')
        """

    static let statements = [
        """
        CREATE TABLE trial_artifacts (
          trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
          role TEXT NOT NULL,
          artifact_sha256 TEXT NOT NULL REFERENCES artifacts(sha256),
          created_at TEXT NOT NULL,
          PRIMARY KEY (trial_id, role)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX trials_by_params ON trials(study_id, params)",
        "DROP TRIGGER trials_search_insert",
        "DROP TRIGGER trials_search_update",
        """
        CREATE TRIGGER trials_search_insert AFTER INSERT ON trials BEGIN
          INSERT INTO search(rowid, kind, ref, title, body) VALUES (new.id * 4 + 3, 'trial', new.id,
            (SELECT name FROM studies WHERE id = new.study_id) || ' #' || new.number, \(trialBody));
        END
        """,
        """
        CREATE TRIGGER trials_search_update AFTER UPDATE OF state, params, error ON trials BEGIN
          DELETE FROM search WHERE rowid = old.id * 4 + 3;
          INSERT INTO search(rowid, kind, ref, title, body) VALUES (new.id * 4 + 3, 'trial', new.id,
            (SELECT name FROM studies WHERE id = new.study_id) || ' #' || new.number, \(trialBody));
        END
        """,
        // Re-index the trials already stored the new way.
        "DELETE FROM search WHERE kind = 'trial'",
        """
        INSERT INTO search(rowid, kind, ref, title, body)
        SELECT t.id * 4 + 3, 'trial', t.id, s.name || ' #' || t.number,
               t.state || coalesce(' ' || (SELECT group_concat(value, ' ') FROM json_each(t.params)), '')
                 || coalesce(' ' || t.error, '')
        FROM trials t JOIN studies s ON s.id = t.study_id
        """,
    ]
}
