import AftercareServiceKit
import Foundation
import Synchronization

/// A point where racing transaction bodies wait for each other: each waits there until all have
/// arrived, or at most `timeout`. A body run again (a retried transaction) passes at once.
final class Rendezvous: Sendable {
    private let parties: Int
    private let timeout: Duration
    private let arrived = Atomic<Int>(0)

    init(parties: Int, timeout: Duration) {
        self.parties = parties
        self.timeout = timeout
    }

    /// Arrives, and waits for the others (blocking the body's thread, as a body's statements do).
    func arrive() {
        self.arrived.add(1, ordering: .sequentiallyConsistent)
        let deadline = ContinuousClock.now + self.timeout
        while self.arrived.load(ordering: .sequentiallyConsistent) < self.parties, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.001)
        }
    }
}

/// Two writers at once on PostgreSQL, each in its own transaction of one database, for the checks
/// that read before they write: both transactions first take their snapshot and meet, then run
/// their body, then meet again before they commit, waiting at most half a second there. So neither
/// commits before the other has checked and written — unless a lock makes the other wait, and the
/// first goes on alone.
enum TransactionRace {
    /// The isolation the racing transactions run at.
    enum Isolation: String, Sendable, CaseIterable, CustomStringConvertible {
        /// The driver's own (`SERIALIZABLE`, a transaction that fails to serialize run again).
        case serializable
        /// `READ COMMITTED` (set as each transaction's first statement): what a row lock or a
        /// constraint keeps holds here too; what only the isolation level keeps does not.
        case readCommitted

        var description: String { self.rawValue }
    }

    /// A racing body: its check and its write, in the transaction.
    typealias Writer<T> = @Sendable (_ db: any SQLConnection) throws -> T

    /// Runs `writers` at once on `database` at `isolation`; each one's outcome, in their order.
    static func run<T: Sendable>(_ database: any SQLDatabase, at isolation: Isolation, _ writers: [Writer<T>]) async -> [Result<T, any Error>] {
        let started = Rendezvous(parties: writers.count, timeout: .seconds(10))
        let written = Rendezvous(parties: writers.count, timeout: .milliseconds(500))
        return await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            for (index, writer) in writers.enumerated() {
                group.addTask {
                    do {
                        let value = try await database.transaction { db in
                            if isolation == .readCommitted { try db.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED") }
                            _ = try db.queryValue("SELECT 1", as: Int.self)
                            started.arrive()
                            let value = try writer(db)
                            written.arrive()
                            return value
                        }
                        return (index, .success(value))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var outcomes: [(Int, Result<T, any Error>)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
