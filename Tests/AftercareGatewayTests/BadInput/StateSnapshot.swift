import AftercareTesting
import Foundation
import GRDB

/// Every row of every table of the six databases but spans (and SQLite's and GRDB's own), and the
/// work leases' holders without their expiry (a heartbeat, renewed whatever the callers do): what
/// "nothing changed" compares, as `ServiceDatabase.dump()` does for one database.
struct StateSnapshot: Sendable, Equatable {
    /// "<service>.<table>: <row>" lines, sorted.
    let lines: [String]

    /// The services whose databases are compared, the gateway's included.
    static let services = GatewayWorld.serviceNames + ["gateway"]

    /// Reads the six databases behind the running services' backs (WAL: a consistent read each).
    static func take(_ world: GatewayWorld) throws -> StateSnapshot {
        var lines: [String] = []
        for service in Self.services {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: world.process(service).databasePath, configuration: configuration)
            try queue.read { db in
                let tables = try String.fetchAll(
                    db,
                    sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' AND name <> 'spans' ORDER BY name")
                for table in tables {
                    let columns = table == "work_leases" ? "name, owner" : "*"
                    lines += try Row.fetchAll(db, sql: "SELECT \(columns) FROM \"\(table)\"").map { "\(service).\(table): \($0)" }
                }
            }
        }
        return StateSnapshot(lines: lines.sorted())
    }

    /// What differs from `self` in `after`: "- line" gone, "+ line" new; at most `limit` lines, then a count.
    func changes(to after: StateSnapshot, limit: Int = 6) -> [String] {
        let before = Set(self.lines)
        let now = Set(after.lines)
        let all = before.subtracting(now).sorted().map { "- \($0.prefix(300))" } + now.subtracting(before).sorted().map { "+ \($0.prefix(300))" }
        return all.count <= limit ? all : Array(all.prefix(limit)) + ["… \(all.count - limit) more"]
    }

    /// Takes snapshots until two taken `interval` apart are equal (the services' routers and timers
    /// have settled), for at most `limit`; returns the last.
    static func settled(_ world: GatewayWorld, interval: Duration = .milliseconds(500), limit: Duration = .seconds(30)) async throws -> StateSnapshot {
        let deadline = ContinuousClock.now + limit
        var last = try Self.take(world)
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: interval)
            let next = try Self.take(world)
            if next == last { return next }
            last = next
        }
        return last
    }
}
