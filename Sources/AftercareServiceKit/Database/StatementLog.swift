import Foundation
import Synchronization

/// Every distinct SQL statement run through the database layer on a process's service databases,
/// as the layer wrote it (before PostgreSQL's `?` are numbered), appended to
/// `<directory>/statements-<pid>.sql` (SQLite) and `<directory>/postgres-statements-<pid>.sql`
/// (PostgreSQL) when `AFTERCARE_SQL_LOG=<directory>` is set. `make test` sets it, and
/// `scripts/check-sql-coverage.py` then fails naming each statement the SQLite runs ran and no
/// PostgreSQL run did.
final class StatementLog: Sendable {
    /// The SQLite log of this process, if `AFTERCARE_SQL_LOG` names a directory.
    static let shared: StatementLog? = StatementLog.named("statements")
    /// The PostgreSQL log of this process, if `AFTERCARE_SQL_LOG` names a directory.
    static let postgres: StatementLog? = StatementLog.named("postgres-statements")

    private static func named(_ prefix: String) -> StatementLog? {
        ProcessInfo.processInfo.environment["AFTERCARE_SQL_LOG"].flatMap { directory in
            try? StatementLog(file: "\(directory)/\(prefix)-\(getpid()).sql")
        }
    }

    private let handle: FileHandle
    private let seen = Mutex<Set<String>>([])

    private init(file: String) throws {
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        self.handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
    }

    /// Appends `sql` the first time it is seen; one statement per record, records separated by a
    /// line holding only "--;". The lock also keeps concurrent connections' records apart.
    func record(_ sql: String) {
        self.seen.withLock { seen in
            guard seen.insert(sql).inserted else { return }
            self.handle.write(Data((sql + "\n--;\n").utf8))
        }
    }
}
