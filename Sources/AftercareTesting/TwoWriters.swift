package import AftercareServiceKit
package import Foundation

/// Two write transactions of one PostgreSQL database run at once, to show that a read-then-write
/// check holds when two writers race: each body reads, passes the ``Gate`` (where it waits, a
/// while, for the other one to have read too), then writes.
package enum TwoWriters {
    /// The isolation the two transactions run at.
    package enum Isolation: String, Sendable, CaseIterable, CustomStringConvertible {
        /// SERIALIZABLE, set as the transaction's first statement: a transaction rolled back for
        /// a conflict runs again.
        case serializable
        /// READ COMMITTED, the driver's own: no serialization check at all, so only a row lock, a
        /// lock key or a constraint can keep the invariant.
        case readCommitted

        package var description: String { self.rawValue }
    }

    /// Where two bodies meet between their reads and their writes: the first to arrive waits until
    /// the other arrives, or for `patience` (the other is waiting for a lock the first holds); a
    /// body run again after a serialization failure passes at once.
    package final class Gate: @unchecked Sendable {
        private let condition = NSCondition()
        private var arrived = 0
        private let patience: TimeInterval

        /// - Parameter patience: how long the first writer waits for the second.
        package init(patience: TimeInterval = 1) {
            self.patience = patience
        }

        /// Waits here until the other writer arrives too, or for the gate's patience.
        package func pass() {
            self.condition.lock()
            defer { self.condition.unlock() }
            self.arrived += 1
            guard self.arrived < 2 else {
                self.condition.broadcast()
                return
            }
            let deadline = Date(timeIntervalSinceNow: self.patience)
            while self.arrived < 2, self.condition.wait(until: deadline) {}
        }
    }

    /// Runs `body` as writer 0 and writer 1, each in its own transaction, at once; each writer's
    /// result or error.
    package static func race<T: Sendable>(
        _ database: any SQLDatabase, isolation: Isolation, _ body: @escaping @Sendable (Int, any SQLConnection, Gate) throws -> T
    ) async -> [Result<T, any Error>] {
        let gate = Gate()
        return await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            for writer in 0..<2 {
                group.addTask {
                    do {
                        let value = try await database.transaction { db in
                            if isolation == .serializable { try db.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE") }
                            return try body(writer, db, gate)
                        }
                        return (writer, .success(value))
                    } catch {
                        return (writer, .failure(error))
                    }
                }
            }
            var results: [(Int, Result<T, any Error>)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
