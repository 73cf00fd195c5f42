import Foundation

/// Where the services of a ``ServiceCluster`` keep their data: each its own SQLite file (WAL,
/// synchronous=FULL), or each its own database on one PostgreSQL server (``PostgresServer``).
enum ServiceStorage {
    case sqlite
    case postgresql(PostgresServer)

    /// What the report calls it.
    var name: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgresql: "PostgreSQL"
        }
    }

    /// Orders a phase prepares at once (not timed): 16 on SQLite; on PostgreSQL one at a time,
    /// because concurrent MarkPaid or Pay calls (16 at once, and now and then even 4) conflict
    /// under serializable isolation until they exhaust the database layer's 12 attempts and fail.
    var preparers: Int {
        switch self {
        case .sqlite: 16
        case .postgresql: 1
        }
    }

    /// The names `--database` takes, in the order the runs go.
    enum Choice: String, CaseIterable {
        case sqlite, postgresql

        /// "sqlite,postgresql" → both, each once, in the order given.
        static func list(_ text: String) throws -> [Choice] {
            var choices: [Choice] = []
            for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
                guard let choice = Choice(rawValue: name) else {
                    throw BenchmarkError("--database: \(name) is not sqlite or postgresql")
                }
                if !choices.contains(choice) { choices.append(choice) }
            }
            guard !choices.isEmpty else { throw BenchmarkError("--database: name sqlite, postgresql or both") }
            return choices
        }
    }
}
