import AftercareServiceKit
import AftercareTesting
import Foundation

/// Every row of every table of the six databases but spans (and SQLite's and GRDB's own), and the
/// work leases' holders without their expiry (a heartbeat, renewed whatever the callers do): what
/// "nothing changed" compares, as `ServiceDatabase.dump()` does for one database.
struct StateSnapshot: Sendable, Equatable {
    /// "<service>.<table>: <row>" lines, sorted.
    let lines: [String]

    /// The services whose databases are compared, the gateway's included.
    static let services = GatewayWorld.serviceNames + ["gateway"]

    /// Reads the six databases behind the running services' backs, one read transaction each, on
    /// SQLite or PostgreSQL, whichever the world runs on.
    static func take(_ world: GatewayWorld) async throws -> StateSnapshot {
        let tablesSQL =
            world.databaseURLs.isEmpty
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' AND name <> 'spans' ORDER BY name"
            : "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('spans', 'aftercare_migrations') ORDER BY tablename"
        var lines: [String] = []
        for service in Self.services {
            lines += try await world.reading(service) { db in
                try db.query(tablesSQL, []).map { try $0.decode(at: 0) as String }.flatMap { table in
                    let columns = table == "work_leases" ? "name, owner" : "*"
                    return try db.query("SELECT \(columns) FROM \"\(table)\"", []).map { row in
                        "\(service).\(table): \(zip(row.columns, row.values).map { "\($0)=\($1)" }.joined(separator: " "))"
                    }
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
        var last = try await Self.take(world)
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: interval)
            let next = try await Self.take(world)
            if next == last { return next }
            last = next
        }
        return last
    }
}
