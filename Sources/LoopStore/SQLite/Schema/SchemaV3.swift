/// v3: repeats (`study(..., repeats: k)`): which trial a trial runs again, and which run it is.
enum SchemaV3 {
    static let statements = [
        "ALTER TABLE trials ADD COLUMN repeat_of INTEGER",
        "ALTER TABLE trials ADD COLUMN repeat_index INTEGER NOT NULL DEFAULT 0",
    ]
}
