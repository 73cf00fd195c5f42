package import AftercareRPC
import AftercareServiceKit
import Foundation
import GRDB

/// The simulated providers' own durable books: what they charged and paid back, per idempotency
/// key, in their own SQLite file — separate from payments' database, as a real provider's books
/// are — so tests can prove that nothing was paid twice, across crashes of payments.
public final class ProviderLedger: Sendable {
    /// The SQLite file.
    package let path: String
    private let pool: DatabasePool

    private init(path: String, pool: DatabasePool) {
        self.path = path
        self.pool = pool
    }

    /// Opens (creating it if needed) the ledger at `path`: WAL, `synchronous=FULL`.
    public static func open(path: String) throws -> ProviderLedger {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute() }
        let pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("provider-ledger-v1") { db in
            try db.execute(sql: """
                CREATE TABLE provider_operations (
                    channel TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    amount_minor BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    charge_reference TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    decline_reason TEXT NOT NULL,
                    reference TEXT NOT NULL,
                    requests BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (channel, kind, idempotency_key)
                );
                CREATE INDEX provider_operations_by_charge ON provider_operations (charge_reference);
                """)
        }
        try migrator.migrate(pool)
        return ProviderLedger(path: path, pool: pool)
    }

    /// Records `operation` unless its key is already there; either way counts one more request for
    /// the key, and returns what the ledger holds for it (a repeated key gets the first result).
    func recordOnce(_ operation: ProviderOperation) async throws -> ProviderOperation {
        // Its own pool, not a ServiceDatabase (no group commit): these are the provider's books,
        // outside payments, and a provider commits each operation before it answers.
        try await self.pool.write { db in
            if var existing = try Self.find(operation.channel, operation.kind, operation.key, in: db) {
                existing.requests += 1
                try db.cachedStatement(
                    sql: "UPDATE provider_operations SET requests = ? WHERE channel = ? AND kind = ? AND idempotency_key = ?").execute(
                    arguments: [existing.requests, existing.channel.rawValue, existing.kind.rawValue, existing.key])
                return existing
            }
            let (outcome, reason, reference): (String, String, String) =
                switch operation.result {
                case .succeeded(let reference): ("succeeded", "", reference)
                case .declined(let reason): ("declined", reason, "")
                }
            try db.cachedStatement(sql: """
                    INSERT INTO provider_operations (channel, kind, idempotency_key, amount_minor, currency, charge_reference,
                        outcome, decline_reason, reference, requests, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(
                arguments: [
                    operation.channel.rawValue, operation.kind.rawValue, operation.key, operation.amount.amountMinor, operation.amount.currency,
                    operation.chargeReference, outcome, reason, reference, operation.requests, operation.createdAtMicros,
                ])
            return operation
        }
    }

    /// What the ledger holds for `key`, if anything.
    package func operation(_ channel: PaymentChannel, _ kind: ProviderOperation.Kind, key: String) async throws -> ProviderOperation? {
        try await self.pool.read { db in try Self.find(channel, kind, key, in: db) }
    }

    /// The health check of the ledger: a read that must succeed.
    package var healthCheck: HealthCheck {
        HealthCheck(name: "provider-ledger") { [pool, path] in
            let count = try await pool.read { db in try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM provider_operations")) ?? 0 }
            return "\(count) operations, \(path)"
        }
    }

    /// Every operation, oldest first.
    package func operations() async throws -> [ProviderOperation] {
        try await self.pool.read { db in
            try Row.fetchAll(
                try db.cachedStatement(sql: "SELECT * FROM provider_operations ORDER BY created_at, idempotency_key")).map(Self.operation)
        }
    }

    private static func find(_ channel: PaymentChannel, _ kind: ProviderOperation.Kind, _ key: String, in db: Database) throws -> ProviderOperation? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM provider_operations WHERE channel = ? AND kind = ? AND idempotency_key = ?"),
            arguments: [channel.rawValue, kind.rawValue, key]
        ).map(Self.operation)
    }

    private static func operation(_ row: Row) throws -> ProviderOperation {
        let channelText: String = row["channel"]
        let kindText: String = row["kind"]
        guard let channel = PaymentChannel(rawValue: channelText), let kind = ProviderOperation.Kind(rawValue: kindText) else {
            throw ProviderError("provider ledger holds an unknown channel or kind: \(channelText) \(kindText)")
        }
        let outcome: String = row["outcome"]
        return ProviderOperation(
            channel: channel, kind: kind, key: row["idempotency_key"],
            amount: Aftercare_Common_V1_Money(row["amount_minor"], row["currency"]), chargeReference: row["charge_reference"],
            result: outcome == "succeeded" ? .succeeded(reference: row["reference"]) : .declined(reason: row["decline_reason"]),
            requests: row["requests"], createdAtMicros: row["created_at"])
    }
}

/// One charge or refund in a provider's books.
package struct ProviderOperation: Sendable, Hashable {
    /// Money in (a charge) or back out (a refund).
    package enum Kind: String, Sendable, Hashable {
        case charge
        case refund
    }

    /// The simulated provider that acted.
    package var channel: PaymentChannel
    package var kind: Kind
    /// The idempotency key it was requested under.
    package var key: String
    /// What moved (or would have, when declined).
    package var amount: Aftercare_Common_V1_Money
    /// For a refund: the charge it pays back.
    package var chargeReference: String
    /// What the provider answered the first request, and every repeat.
    package var result: ProviderResult
    /// How many requests carried this key (the provider acted on the first only).
    package var requests: Int64
    /// When the provider acted, by payments' clock.
    package var createdAtMicros: Int64

    /// Whether money moved.
    package var succeeded: Bool {
        if case .succeeded = self.result { return true }
        return false
    }
}
