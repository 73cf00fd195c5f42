import Foundation
import Synchronization

/// Every distinct SQL statement run through the database layer on a process's service databases,
/// as the layer wrote it (before PostgreSQL's `?` are numbered), appended to
/// `<directory>/statements-<pid>-<random>.sql` (SQLite) and
/// `<directory>/postgres-statements-<pid>-<random>.sql` (PostgreSQL) when
/// `AFTERCARE_SQL_LOG=<directory>` is set. The random part keeps a later process that the kernel
/// gives the same pid (a test run starts thousands) from writing over an earlier one's log.
/// `make test` sets it, and `scripts/check-sql-coverage.py` then fails naming each statement the
/// SQLite runs ran and no PostgreSQL run did.
final class StatementLog: Sendable {
    /// The SQLite log of this process, if `AFTERCARE_SQL_LOG` names a directory.
    static let shared: StatementLog? = StatementLog.named("statements")
    /// The PostgreSQL log of this process, if `AFTERCARE_SQL_LOG` names a directory.
    static let postgres: StatementLog? = StatementLog.named("postgres-statements")

    private static func named(_ prefix: String) -> StatementLog? {
        ProcessInfo.processInfo.environment["AFTERCARE_SQL_LOG"].flatMap { try? StatementLog(directory: $0, prefix: prefix) }
    }

    private let handle: FileHandle
    private let seen = Mutex<Set<String>>([])
    /// The file this log appends to.
    let path: String

    /// A new file `<directory>/<prefix>-<pid>-<random>.sql`, never an existing one.
    init(directory: String, prefix: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.path = "\(directory)/\(prefix)-\(getpid())-\(UInt32.random(in: .min ... .max)).sql"
        let descriptor = open(self.path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteFileExists) }
        self.handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
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
