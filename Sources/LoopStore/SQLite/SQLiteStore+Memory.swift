import Foundation
import GRDB
import LoopSupport

extension SQLiteStore {
    /// Remembers a free-text finding, optionally tagged and tied to a study or trial.
    @discardableResult
    public func remember(_ text: String, tags: [String] = [], studyID: Int64? = nil, trialID: Int64? = nil,
                         now: Date = Date()) throws(StoreError) -> Note {
        let tagsJSON = try JSONText.encode(tags, column: "notes.tags")
        return try write("remember a note") { db in
            try db.execute(sql: """
                INSERT INTO notes (text, tags, study_id, trial_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [text, tagsJSON, studyID, trialID, now, now])
            return try Note.fetchOne(db, sql: "SELECT * FROM notes WHERE id = ?", arguments: [db.lastInsertedRowID])!
        }
    }

    /// Sets a key/value memory, replacing the key's previous value.
    @discardableResult
    public func setMemory(_ key: String, to value: JSONValue, tags: [String] = [],
                          now: Date = Date()) throws(StoreError) -> Note {
        let valueJSON = try JSONText.encode(value, column: "notes.value")
        let tagsJSON = try JSONText.encode(tags, column: "notes.tags")
        return try write("remember \(key)") { db in
            try db.execute(sql: """
                INSERT INTO notes (key, value, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, tags = excluded.tags,
                  updated_at = excluded.updated_at
                """, arguments: [key, valueJSON, tagsJSON, now, now])
            return try Note.fetchOne(db, sql: "SELECT * FROM notes WHERE key = ?", arguments: [key])!
        }
    }

    /// The value remembered under `key`, or `nil`.
    public func memory(_ key: String) throws(StoreError) -> JSONValue? {
        try read("recall \(key)") { db in
            try Note.fetchOne(db, sql: "SELECT * FROM notes WHERE key = ?", arguments: [key])?.value
        }
    }

    /// Notes (free text and key/value), newest first, optionally only those carrying `tag`.
    public func notes(tag: String? = nil, limit: Int = 100) throws(StoreError) -> [Note] {
        try read("list notes") { db in
            try Note.fetchAll(db, sql: """
                SELECT * FROM notes
                WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM json_each(notes.tags) WHERE json_each.value = ?1)
                ORDER BY updated_at DESC, id DESC LIMIT ?2
                """, arguments: [tag, limit])
        }
    }

    /// The notes tied to a study (what was remembered while it was the study in use), oldest first.
    public func notes(studyID: Int64) throws(StoreError) -> [Note] {
        try read("list the notes of study \(studyID)") { db in
            try Note.fetchAll(db, sql: "SELECT * FROM notes WHERE study_id = ? ORDER BY created_at, id", arguments: [studyID])
        }
    }

    /// The note with this id, or `nil`.
    public func note(id: Int64) throws(StoreError) -> Note? {
        try read("read note \(id)") { db in try Note.fetchOne(db, sql: "SELECT * FROM notes WHERE id = ?", arguments: [id]) }
    }

    /// How many notes carry `tag`.
    public func countNotes(tag: String) throws(StoreError) -> Int {
        try read("count notes") { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM notes WHERE EXISTS (SELECT 1 FROM json_each(notes.tags) WHERE json_each.value = ?)
                """, arguments: [tag]) ?? 0
        }
    }

    /// Deletes a note (and its search entry). Returns whether it existed.
    @discardableResult
    public func forget(noteID: Int64) throws(StoreError) -> Bool {
        try write("forget note \(noteID)") { db in
            try db.execute(sql: "DELETE FROM notes WHERE id = ?", arguments: [noteID])
            return db.changesCount > 0
        }
    }
}
