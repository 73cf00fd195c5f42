import Foundation
import Logging

/// What the six processes, and the PostgreSQL server when there is one, did, read from outside
/// without changing them: the databases' commits, span rows and table rows (``DatabaseCounters``),
/// and the CPU — user + system time of each process from `/proc/<pid>/stat`, of PostgreSQL's
/// postmaster and its children (``ProcessCPU/treeSeconds(parent:excluding:)``), and of this
/// process (the clients).
final class SystemCounters {
    /// The processes counted beside the six services: `bench`, this process.
    static let bench = "bench (clients)"
    /// The PostgreSQL server (its CPU; as a database, the commits no service's database made).
    static let postgres = "postgresql"

    private let cluster: ServiceCluster
    let databases: any DatabaseCounters

    /// One reading of every counter.
    struct Snapshot {
        var cpuSeconds: [String: Double] = [:]
        var database = DatabaseReading()
        var at = ContinuousClock.now
    }

    private init(cluster: ServiceCluster, databases: any DatabaseCounters) {
        self.cluster = cluster
        self.databases = databases
    }

    /// Counters for `cluster`, on its SQLite files or its PostgreSQL server.
    static func make(cluster: ServiceCluster, logger: Logger) async throws -> SystemCounters {
        switch cluster.storage {
        case .sqlite:
            let paths = Dictionary(uniqueKeysWithValues: ServiceCluster.all.map { ($0, cluster.database($0)) })
            return SystemCounters(cluster: cluster, databases: try SQLiteCounters(paths: paths))
        case .postgresql(let server):
            return SystemCounters(
                cluster: cluster, databases: try await PostgresCounters.connect(server: server, databases: ServiceCluster.all, logger: logger))
        }
    }

    /// The CPU first (so that reading the databases is not in it), then the databases; `at` when
    /// both are read (the timed sagas start after it).
    func snapshot() async throws -> Snapshot {
        var snapshot = Snapshot()
        for (service, pid) in self.cluster.pids {
            snapshot.cpuSeconds[service] = try ProcessCPU.seconds(pid: "\(pid)")
        }
        if let server = try self.databases.serverCPUSeconds() { snapshot.cpuSeconds[Self.postgres] = server }
        snapshot.cpuSeconds[Self.bench] = try ProcessCPU.seconds(pid: "self")
        snapshot.database = try await self.databases.reading()
        snapshot.at = .now
        return snapshot
    }

    /// Waits until no database commits for `quiet` (at most `limit`): the work the last sagas left
    /// behind (inbox items, relays, saga log, span batches) has landed.
    func quiesce(quiet: Duration = .milliseconds(400), limit: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + limit
        var last = try await self.databases.activity()
        var since = ContinuousClock.now
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            let now = try await self.databases.activity()
            if now != last {
                (last, since) = (now, .now)
            } else if ContinuousClock.now - since >= quiet {
                return
            }
        }
    }
}
