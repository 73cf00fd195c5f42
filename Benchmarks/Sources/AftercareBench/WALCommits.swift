import Foundation

/// Committed write transactions by database, from the WAL itself: `pg_waldump` over a range of
/// positions, each transaction's COMMIT record counted under the database of the blocks its other
/// records touch (`rel <tablespace>/<database>/<relation>`). A read-only transaction writes no WAL
/// and no COMMIT record, so it is not counted.
enum WALCommits {
    /// COMMIT records between the WAL positions `from` and `to` (bytes), by database oid; `nil` for
    /// transactions whose records name no database's relation.
    static func count(server: PostgresServer, from: Int64, to: Int64) throws -> [Int64?: Int] {
        let dump = try Subprocess.run(
            "\(server.binaries)/pg_waldump", ["-p", "\(server.dataDirectory)/pg_wal", "-s", Self.lsn(from), "-e", Self.lsn(to)])
        var databaseOf: [Int64: Int64] = [:]
        var committed: [Int64] = []
        for line in dump.split(separator: "\n") {
            guard let transaction = Self.number(after: "tx:", in: line), transaction != 0 else { continue }
            if line.contains("rmgr: Transaction"), line.contains("desc: COMMIT") {
                committed.append(transaction)
            } else if databaseOf[transaction] == nil, let relation = line.range(of: " rel ") {
                let path = line[relation.upperBound...].prefix { $0.isNumber || $0 == "/" }.split(separator: "/")
                if path.count == 3, let database = Int64(path[1]) { databaseOf[transaction] = database }
            }
        }
        return committed.reduce(into: [:]) { counts, transaction in counts[databaseOf[transaction], default: 0] += 1 }
    }

    /// "0/1A2B3C4D", as PostgreSQL writes a WAL position.
    static func lsn(_ position: Int64) -> String {
        String(format: "%X/%X", UInt32(truncatingIfNeeded: position >> 32), UInt32(truncatingIfNeeded: position))
    }

    /// The integer after `label` (and spaces) in `line`.
    private static func number(after label: String, in line: Substring) -> Int64? {
        guard let range = line.range(of: label) else { return nil }
        return Int64(line[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber })
    }
}
