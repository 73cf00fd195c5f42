import Foundation
import GRDB

/// The peer of the service benchmark: what the disk allows. One SQLite file in WAL mode with
/// synchronous=FULL, as the services open theirs; each operation is one write transaction inserting
/// one 200-byte row, sequentially and from as many tasks as the services get calls in flight.
enum StorageFloor {
    static func measure(plan: Plan, path: String) async throws -> Measurement {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE rows (id TEXT PRIMARY KEY, body BLOB NOT NULL)")
        }
        let body = Data(repeating: 0x61, count: 200)
        let write: @Sendable () async throws -> Void = {
            let id = UUID().uuidString
            try await pool.write { db in try db.execute(sql: "INSERT INTO rows (id, body) VALUES (?, ?)", arguments: [id, body]) }
        }
        let (latencies, mallocs) = try await measureSequential(plan, write)
        let throughput = try await measureThroughput(plan, write)
        try pool.close()
        return Measurement(latencies: latencies, callsPerSecond: throughput.callsPerSecond, cpuMicrosPerCall: throughput.cpuMicrosPerCall, mallocsPerCall: mallocs, responseBytes: 0)
    }
}
