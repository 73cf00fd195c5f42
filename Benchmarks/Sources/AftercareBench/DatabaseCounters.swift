/// What the services' databases did, read from outside without changing the services: the
/// SQLite files (``SQLiteCounters``) or the PostgreSQL server (``PostgresCounters``).
protocol DatabaseCounters: Sendable {
    /// One reading: where the commit and span counters stand, and each table's rows.
    func reading() async throws -> DatabaseReading
    /// A number that moves whenever any database commits: what ``SystemCounters/quiesce(quiet:limit:)``
    /// watches.
    func activity() async throws -> UInt64
    /// Committed write transactions of each service's database between two readings.
    func commits(from start: DatabaseReading, to end: DatabaseReading) async throws -> [String: Int]
    /// The span rows each service stored between two readings (one per call it served), by method.
    func calls(from start: DatabaseReading, to end: DatabaseReading) async throws -> [String: [String: Int]]
    /// Bytes of write-ahead log written between two readings, all databases (`nil` where not known).
    func walBytes(from start: DatabaseReading, to end: DatabaseReading) -> Int?
    /// Waits until statistics the server reports late are in (PostgreSQL's backends report theirs
    /// up to 10 s after they go idle); nothing on SQLite.
    func settle() async throws
    /// How many times the server has flushed its WAL to disk so far (`nil` on SQLite, where each
    /// write is one WAL fsync); read after ``settle()``.
    func walSyncs() async throws -> Int?
    /// CPU seconds of the database server's processes, if the databases have a server (`nil` for
    /// SQLite, which runs inside the services).
    func serverCPUSeconds() throws -> Double?
    /// Lets go of the connections (before the server stops).
    func close() async
}

/// One reading of a ``DatabaseCounters``; what its marks mean is the counters' own.
struct DatabaseReading: Sendable {
    /// Where each service's commit counter stands (SQLite), or the cluster's WAL position under
    /// ``DatabaseReading/cluster`` (PostgreSQL).
    var commitMark: [String: Int64] = [:]
    /// Where each service's spans stand: the largest rowid (SQLite), or the next transaction id
    /// (PostgreSQL).
    var spanMark: [String: Int64] = [:]
    /// Rows of each table, by service.
    var rows: [String: [String: Int]] = [:]

    /// The key of a mark that is the whole server's, not one service's.
    static let cluster = ""
}
