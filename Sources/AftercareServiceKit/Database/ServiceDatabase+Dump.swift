import GRDB

extension ServiceDatabase {
    /// Every row of every table, as sorted text lines: two equal dumps mean nothing changed. For the
    /// tests' invalid-request tables. Spans (timing) and GRDB's own tables are left out, and the
    /// work leases' expiry (a heartbeat): their holders are kept.
    package func dump() async throws -> [String] {
        try await self.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' AND name <> 'spans'")
            return try tables.flatMap { table in
                try Row.fetchAll(db, sql: "SELECT \(table == "work_leases" ? "name, owner" : "*") FROM \(table)").map { "\(table): \($0)" }
            }.sorted()
        }
    }
}
