import AftercareRPC
import Foundation
import GRDB

/// What the six processes did, read from outside without changing them:
/// - **calls**: the spans each service keeps in its own database (one per call it served, written
///   in batches every 100 ms), by rowid, so the calls of a window are the rows added in it;
/// - **durable writes**: each database's committed write transactions, the wal-index header's
///   change counter (`iChange`, bytes 8–11 of `<database>-shm`, which SQLite raises once per
///   commit that wrote frames: with synchronous=FULL, one WAL fsync each);
/// - **rows**: each table's row count, so the report can say which tables a saga grows;
/// - **CPU**: user + system time of each process from `/proc/<pid>/stat`, and of this process (the
///   clients).
final class SystemCounters {
    /// The processes counted: the six services and `bench`, this process.
    static let bench = "bench (clients)"

    private let cluster: ServiceCluster
    private let readers: [String: DatabaseQueue]
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// One reading of every counter.
    struct Snapshot {
        var cpuSeconds: [String: Double] = [:]
        var commits: [String: UInt32] = [:]
        var spanRowID: [String: Int64] = [:]
        /// Rows of each table, by service.
        var rows: [String: [String: Int]] = [:]
        var at = ContinuousClock.now
    }

    init(cluster: ServiceCluster) throws {
        self.cluster = cluster
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        var readers: [String: DatabaseQueue] = [:]
        for service in ServiceCluster.all {
            readers[service] = try DatabaseQueue(path: cluster.database(service), configuration: configuration)
        }
        self.readers = readers
    }

    func snapshot() throws -> Snapshot {
        var snapshot = Snapshot()
        for (service, pid) in self.cluster.pids {
            snapshot.cpuSeconds[service] = try self.cpuSeconds(pid: "\(pid)")
            snapshot.commits[service] = try Self.commitCounter(self.cluster.database(service))
            snapshot.spanRowID[service] = try self.readers[service]!.read { db in
                try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(rowid), 0) FROM spans") ?? 0
            }
            snapshot.rows[service] = try self.readers[service]!.read { db in
                var rows: [String: Int] = [:]
                for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                    rows[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0
                }
                return rows
            }
        }
        snapshot.cpuSeconds[Self.bench] = try self.cpuSeconds(pid: "self")
        snapshot.at = .now
        return snapshot
    }

    /// The sum of every database's commit counter: what ``quiesce()`` watches.
    func totalCommits() throws -> UInt64 {
        try ServiceCluster.all.reduce(0) { $0 + UInt64(try Self.commitCounter(self.cluster.database($1))) }
    }

    /// Waits until no database commits for `quiet` (at most `limit`): the work the last sagas left
    /// behind (inbox items, relays, saga log, span batches) has landed.
    func quiesce(quiet: Duration = .milliseconds(400), limit: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + limit
        var last = try self.totalCommits()
        var since = ContinuousClock.now
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            let now = try self.totalCommits()
            if now != last {
                (last, since) = (now, .now)
            } else if ContinuousClock.now - since >= quiet {
                return
            }
        }
    }

    /// Calls each service served between two snapshots, by method (its span rows).
    func calls(from start: Snapshot, to end: Snapshot) throws -> [String: [String: Int]] {
        var calls: [String: [String: Int]] = [:]
        for service in ServiceCluster.all {
            let bodies = try self.readers[service]!.read { db in
                try Data.fetchAll(
                    db, sql: "SELECT body FROM spans WHERE rowid > ? AND rowid <= ?",
                    arguments: [start.spanRowID[service] ?? 0, end.spanRowID[service] ?? 0])
            }
            var methods: [String: Int] = [:]
            for body in bodies {
                let span = try Aftercare_Common_V1_Span(serializedBytes: body)
                methods[span.method, default: 0] += 1
            }
            calls[service] = methods
        }
        return calls
    }

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

    /// utime + stime of `/proc/<pid>/stat` (fields 14 and 15), in seconds.
    private func cpuSeconds(pid: String) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        guard let close = stat.lastIndex(of: ")") else { throw BenchmarkError("unreadable /proc/\(pid)/stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchmarkError("unreadable /proc/\(pid)/stat")
        }
        return (user + system) / self.ticksPerSecond
    }
}
