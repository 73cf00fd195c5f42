import Foundation
import GRDB

/// The six SQLite files, read beside the services:
/// - **durable writes**: each database's committed write transactions, the wal-index header's
///   change counter (`iChange`, bytes 8–11 of `<database>-shm`, which SQLite raises once per
///   commit that wrote frames: with synchronous=FULL, one WAL fsync each);
/// - **calls**: the spans each service keeps in its own database (one per call it served, written
///   in batches every 100 ms), by rowid, so the calls of a window are the rows added in it;
/// - **rows**: each table's row count.
final class SQLiteCounters: DatabaseCounters {
    /// The database file of each service.
    private let paths: [String: String]
    private let readers: [String: DatabaseQueue]

    init(paths: [String: String]) throws {
        self.paths = paths
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        var readers: [String: DatabaseQueue] = [:]
        for (service, path) in paths {
            readers[service] = try DatabaseQueue(path: path, configuration: configuration)
        }
        self.readers = readers
    }

    func reading() throws -> DatabaseReading {
        var reading = DatabaseReading()
        for (service, reader) in self.readers {
            reading.commitMark[service] = Int64(try Self.commitCounter(self.paths[service]!))
            reading.spanMark[service] = try reader.read { db in
                try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(rowid), 0) FROM spans") ?? 0
            }
            reading.rows[service] = try reader.read { db in
                var rows: [String: Int] = [:]
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                    rows[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0
                }
                return rows
            }
        }
        return reading
    }

    func activity() throws -> UInt64 {
        try self.paths.values.reduce(0) { $0 + UInt64(try Self.commitCounter($1)) }
    }

    func commits(from start: DatabaseReading, to end: DatabaseReading) -> [String: Int] {
        end.commitMark.reduce(into: [:]) { commits, mark in
            commits[mark.key] = Int(UInt32(truncatingIfNeeded: mark.value) &- UInt32(truncatingIfNeeded: start.commitMark[mark.key] ?? 0))
        }
    }

    func calls(from start: DatabaseReading, to end: DatabaseReading) throws -> [String: [String: Int]] {
        var calls: [String: [String: Int]] = [:]
        for (service, reader) in self.readers {
            let bodies = try reader.read { db in
                try Data.fetchAll(
                    db, sql: "SELECT body FROM spans WHERE rowid > ? AND rowid <= ?",
                    arguments: [start.spanMark[service] ?? 0, end.spanMark[service] ?? 0])
            }
            calls[service] = try SpanMethods.count(bodies)
        }
        return calls
    }

    func walBytes(from start: DatabaseReading, to end: DatabaseReading) -> Int? { nil }

    func settle() {}

    func walSyncs() -> Int? { nil }

    func serverCPUSeconds() -> Double? { nil }

    func close() {}

    /// bytes 8–11 of the wal-index (`-shm`): `WalIndexHdr.iChange`, native byte order.
    static func commitCounter(_ database: String) throws -> UInt32 {
        guard let handle = FileHandle(forReadingAtPath: "\(database)-shm") else {
            throw BenchmarkError("cannot open \(database)-shm")
        }
        defer { try? handle.close() }
        let header = try handle.read(upToCount: 12) ?? Data()
        guard header.count == 12 else { throw BenchmarkError("\(database)-shm is shorter than its header") }
        return header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self) }
    }
}
