import AftercareServiceKit
import Foundation
import Synchronization

/// The in-flight guard of the provider calls, as a lease on the charge's or refund intent's row:
/// while one call asks the provider about a key, no other call — of this process or of another
/// instance on the same database — sends that key to the provider.
///
/// A lease names its holder (`<instance>#<n>`: this process's instance id and a number per lease
/// taken) and expires at `now + duration` (payments' clock). It is taken by one conditional UPDATE
/// in a write transaction — only a pending row whose lease is free or expired — so at most one
/// holder has it; settling the row ends it, and a call that learned nothing releases it. A lease
/// whose holder died expires: the next call (or the background pass) takes it over and, the row
/// being no longer new, asks the provider what became of the key before sending anything.
final class ProviderLeases: Sendable {
    /// This process's instance id, the prefix of its leases' holders.
    let instance: String
    /// How long a lease lasts: longer than a provider call takes.
    let duration: Duration
    private let clock: ServiceClock
    private let taken = Atomic<UInt64>(0)

    /// - Parameters:
    ///   - instance: this process's instance id (unique among the processes on the database).
    ///   - duration: how long a lease lasts.
    ///   - clock: payments' clock, which stamps the expiries.
    init(instance: String, duration: Duration, clock: ServiceClock) {
        self.instance = instance
        self.duration = duration
        self.clock = clock
    }

    /// A fresh instance id: the pid and a random suffix (no host name: its lookup may wait on DNS,
    /// and instances sharing a SQLite file run on one machine).
    static func newInstanceID() -> String {
        "\(ProcessInfo.processInfo.processIdentifier)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }

    /// Takes the lease of the pending `record`'s row inside the caller's write transaction; the
    /// holder's name, or `nil` when another holder's lease is live or the row is no longer pending.
    /// A transaction PostgreSQL runs again takes a new number: the name written is the one answered.
    func take<Record: LeasedRecord>(_ record: Record, in db: any SQLConnection) throws -> String? {
        let owner = "\(self.instance)#\(self.taken.wrappingAdd(1, ordering: .relaxed).newValue)"
        let now = self.clock.nowMicros
        let until = now + self.duration.wholeMicroseconds
        return try PaymentsStore.takeLease(Record.row, id: record.leaseID, owner: owner, nowMicros: now, untilMicros: until, in: db)
            ? owner : nil
    }

    /// Ends `owner`'s lease of `row` (a call that left the row pending); a failure to write it
    /// leaves the lease to expire.
    func release(_ row: LeasedRow, id: String, owner: String, in database: any SQLDatabase) async {
        try? await database.transaction { db in try PaymentsStore.releaseLease(row, id: id, owner: owner, in: db) }
    }
}
