import AftercareServiceKit
import Foundation

/// Moves a database's cases and history entries from JSON text (`cases.details`,
/// `case_history.entry`, as aftersales stored them before `aftersales-v4-stored-records`) to the
/// protobuf records of `aftersales_records.proto` (`record` in both tables), then drops the JSON
/// columns. Runs in its migration's transaction, a page of rows at a time: a record that does not
/// decode fails the migration, which then changes nothing.
///
/// `record` stays nullable (SQLite adds a column without `NOT NULL` unless it has a default);
/// every write of aftersales sets it, and a row without one fails to read rather than read empty.
enum StoredRecordsMigration {
    /// Rows converted per query.
    static let pageSize = 500

    static func apply(in db: any SQLConnection) throws {
        try db.executeScript("""
            ALTER TABLE cases ADD COLUMN record \(db.dialect.bytes);
            ALTER TABLE case_history ADD COLUMN record \(db.dialect.bytes)
            """)
        try self.convertCases(in: db)
        try self.convertHistory(in: db)
        try db.executeScript("ALTER TABLE cases DROP COLUMN details; ALTER TABLE case_history DROP COLUMN entry")
    }

    private static func convertCases(in db: any SQLConnection) throws {
        var after = ""
        while true {
            let rows = try db.query("SELECT case_id, details FROM cases WHERE case_id > ? ORDER BY case_id LIMIT ?", [after, self.pageSize])
            for row in rows {
                let caseID: String = try row.decode("case_id")
                let record = try self.decodeJSON(CaseRecord.self, try row.decode("details"), what: "case \(caseID)")
                try db.execute("UPDATE cases SET record = ? WHERE case_id = ?", [try record.storedData(), caseID])
                after = caseID
            }
            guard rows.count == self.pageSize else { return }
        }
    }

    private static func convertHistory(in db: any SQLConnection) throws {
        var after = (caseID: "", seq: Int64.min)
        while true {
            let rows = try db.query(
                "SELECT case_id, seq, entry FROM case_history WHERE (case_id, seq) > (?, ?) ORDER BY case_id, seq LIMIT ?",
                [after.caseID, after.seq, self.pageSize])
            for row in rows {
                let caseID: String = try row.decode("case_id")
                let seq: Int64 = try row.decode("seq")
                let entry = try self.decodeJSON(HistoryEntryRecord.self, try row.decode("entry"), what: "history entry \(seq) of case \(caseID)")
                try db.execute("UPDATE case_history SET record = ? WHERE case_id = ? AND seq = ?", [try entry.storedData(), caseID, seq])
                after = (caseID, seq)
            }
            guard rows.count == self.pageSize else { return }
        }
    }

    private static func decodeJSON<Value: Decodable>(_ type: Value.Type, _ text: String, what: String) throws -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        } catch {
            throw StoredRecordError(description: "\(what): its stored JSON does not read (\(error))")
        }
    }
}
