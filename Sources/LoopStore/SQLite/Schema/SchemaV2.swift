/// v2: which skills ran in which trials, the evidence `save_skill` attaches to a skill.
enum SchemaV2 {
    static let statements = [
        """
        CREATE TABLE skill_uses (
          skill TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
          used_at TEXT NOT NULL,
          PRIMARY KEY (skill, sha256, trial_id)
        ) WITHOUT ROWID
        """,
    ]
}
