import Foundation
import Logging
import PostgresNIO

/// The services' databases on one PostgreSQL server, read over one connection to each (whose
/// backends ``serverCPUSeconds()`` leaves out):
/// - **durable writes**: each database's committed write transactions — the COMMIT records of the
///   WAL written between two readings (``WALCommits``; a read-only transaction writes none, which
///   `pg_stat_database.xact_commit` would count too, and that view lags up to 10 s behind an
///   idle backend). With `synchronous_commit=on` each one is flushed before it is answered;
///   PostgreSQL may flush several at once, so this counts commits, not fsyncs;
/// - **calls**: the span rows each service stored, those whose inserting transaction (`xmin`)
///   began between the two readings (transaction ids are the cluster's, so one mark serves all);
/// - **rows**: each table's row count;
/// - the **WAL bytes** between the two readings, and the **WAL fsyncs** (`pg_stat_wal.wal_sync`,
///   read after ``settle()``), all databases together.
final class PostgresCounters: DatabaseCounters {
    private let server: PostgresServer
    /// One connection to each service's database.
    private let connections: [String: PostgresConnection]
    /// The backends serving ``connections``.
    private let backends: Set<Int32>
    private let logger: Logger

    private init(server: PostgresServer, connections: [String: PostgresConnection], backends: Set<Int32>, logger: Logger) {
        self.server = server
        self.connections = connections
        self.backends = backends
        self.logger = logger
    }

    /// Connects to each of `databases` (service names, which are their databases' names too).
    static func connect(server: PostgresServer, databases: [String], logger: Logger) async throws -> PostgresCounters {
        var connections: [String: PostgresConnection] = [:]
        var backends: Set<Int32> = []
        do {
            for (number, database) in databases.enumerated() {
                let configuration = PostgresConnection.Configuration(
                    unixSocketPath: server.socket, username: PostgresServer.user, password: nil, database: database)
                let connection = try await PostgresConnection.connect(configuration: configuration, id: number, logger: logger)
                connections[database] = connection
                for try await pid in try await connection.query("SELECT pg_backend_pid()", logger: logger).decode(Int32.self) {
                    backends.insert(pid)
                }
            }
        } catch {
            for connection in connections.values { try? await connection.close() }
            throw error
        }
        return PostgresCounters(server: server, connections: connections, backends: backends, logger: logger)
    }

    /// CPU of the whole server — postmaster, backends (of the services), background processes —
    /// but for the backends of this bench's own connections.
    func serverCPUSeconds() throws -> Double? {
        try ProcessCPU.treeSeconds(parent: try self.server.postmasterPID(), excluding: self.backends)
    }

    func reading() async throws -> DatabaseReading {
        var reading = DatabaseReading()
        let any = try self.anyConnection()
        let position: Int64 = try await self.single(any, "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")
        reading.commitMark[DatabaseReading.cluster] = position
        let nextTransaction: Int64 = try await self.single(any, "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint")
        for (service, connection) in self.connections {
            reading.spanMark[service] = nextTransaction
            var tables: [String] = []
            for try await table in try await connection.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", logger: self.logger)
                .decode(String.self)
            {
                tables.append(table)
            }
            guard !tables.isEmpty else { continue }
            let counts = tables.map { "SELECT '\($0)', COUNT(*) FROM \"\($0)\"" }.joined(separator: " UNION ALL ")
            var rows: [String: Int] = [:]
            for try await (table, count) in try await connection.query(PostgresQuery(unsafeSQL: counts), logger: self.logger).decode((String, Int).self) {
                rows[table] = count
            }
            reading.rows[service] = rows
        }
        return reading
    }

    /// The WAL insert position: it moves with every commit (and every other WAL record).
    func activity() async throws -> UInt64 {
        let position: Int64 = try await self.single(try self.anyConnection(), "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")
        return UInt64(position)
    }

    func commits(from start: DatabaseReading, to end: DatabaseReading) async throws -> [String: Int] {
        guard let from = start.commitMark[DatabaseReading.cluster], let to = end.commitMark[DatabaseReading.cluster], to > from else { return [:] }
        // pg_waldump reads the files: wait until the window's WAL is on disk (the WAL writer
        // flushes within wal_writer_delay, 200 ms).
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let flushed: Int64 = try await self.single(try self.anyConnection(), "SELECT (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::bigint")
            if flushed >= to { break }
            guard ContinuousClock.now < deadline else { throw BenchmarkError("PostgreSQL did not flush its WAL to \(to) in 10 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
        var names: [Int64: String] = [:]
        for try await (oid, name) in try await self.anyConnection().query("SELECT oid::bigint, datname FROM pg_database", logger: self.logger)
            .decode((Int64, String).self)
        {
            names[oid] = name
        }
        let byDatabase = try WALCommits.count(server: self.server, from: from, to: to)
        var commits = self.connections.mapValues { _ in 0 }
        for (oid, count) in byDatabase {
            commits[oid.flatMap { names[$0] }.flatMap { self.connections[$0] == nil ? nil : $0 } ?? SystemCounters.postgres, default: 0] += count
        }
        return commits
    }

    func calls(from start: DatabaseReading, to end: DatabaseReading) async throws -> [String: [String: Int]] {
        var calls: [String: [String: Int]] = [:]
        for (service, connection) in self.connections {
            let from = start.spanMark[service] ?? 0
            let to = end.spanMark[service] ?? 0
            var bodies: [Data] = []
            let rows = try await connection.query(
                "SELECT body FROM spans WHERE xmin::text::bigint >= \(from) AND xmin::text::bigint < \(to)", logger: self.logger)
            for try await body in rows.decode(Data.self) { bodies.append(body) }
            calls[service] = try SpanMethods.count(bodies)
        }
        return calls
    }

    func walBytes(from start: DatabaseReading, to end: DatabaseReading) -> Int? {
        guard let from = start.commitMark[DatabaseReading.cluster], let to = end.commitMark[DatabaseReading.cluster] else { return nil }
        return Int(to - from)
    }

    /// Backends report their statistics when they go idle, at most once a second, else 10 s later
    /// (PGSTAT_IDLE_INTERVAL): 11 s.
    func settle() async throws {
        try await Task.sleep(for: .seconds(11))
    }

    func walSyncs() async throws -> Int? {
        let syncs: Int64 = try await self.single(try self.anyConnection(), "SELECT wal_sync FROM pg_stat_wal")
        return Int(syncs)
    }

    func close() async {
        for connection in self.connections.values { try? await connection.close() }
    }

    private func anyConnection() throws -> PostgresConnection {
        guard let connection = self.connections.values.first else { throw BenchmarkError("no PostgreSQL connection") }
        return connection
    }

    /// The one value of a query that answers one row of one column.
    private func single<Value: PostgresDecodable & Sendable>(_ connection: PostgresConnection, _ sql: String) async throws -> Value {
        for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: self.logger).decode(Value.self) {
            return value
        }
        throw BenchmarkError("no row from \(sql)")
    }
}
