package import AftercareServiceKit
import AftercareRPC
import Foundation
package import SwiftProtobuf

/// What the gateway decided to send a service under a caller's idempotency key, kept before it is
/// sent. Some public calls gather facts from several services first (an application's order status,
/// refundable amount and 90-day totals), and those can change between a call and its retry; the
/// service would then see the same key with another request and refuse it. So the first attempt
/// writes the request it built here, and every retry with the same key sends exactly that again.
///
/// A retry whose own request differs from the first attempt's is INVALID_ARGUMENT naming
/// `idempotency_key`, as every service answers a reused key. A call the service refuses before it
/// runs leaves no intent behind.
package struct GatewayIntents: Sendable {
    let database: any SQLDatabase
    let clock: ServiceClock

    package init(database: any SQLDatabase, clock: ServiceClock) {
        self.database = database
        self.clock = clock
    }

    /// Registers the `gateway_intents` table in the gateway's migrations.
    package static func register(in migrations: inout SQLMigrations) {
        migrations.register("gateway-intents-v1") { db in
            try db.execute(
                """
                    CREATE TABLE gateway_intents (
                        intent_key TEXT PRIMARY KEY,
                        caller_request \(db.dialect.bytes) NOT NULL,
                        outgoing_request \(db.dialect.bytes) NOT NULL,
                        created_at BIGINT NOT NULL
                    )
                    """)
        }
    }

    /// The most bytes of a caller's request an intent keeps: far above any valid request (20
    /// evidence items at their limits are ~125 KB), so only padding — unknown fields, say — meets it.
    package static let maxCallerRequestBytes = 256 << 10

    /// Sends the request kept under `key` — the one the first attempt stored, or, the first time,
    /// what `build` makes, stored before it is sent — and answers what `send` answers. If the
    /// first attempt's call is refused before it ran (outcome NOT_EXECUTED), its intent goes too:
    /// a refused call leaves nothing behind, and the next attempt builds afresh.
    /// - Parameters:
    ///   - key: the derived key of the outgoing call (``GatewayPeers/options(_:keyFor:)``).
    ///   - request: the caller's own request, which every retry must repeat.
    package func send<Caller: SwiftProtobuf.Message, Outgoing: SwiftProtobuf.Message, Response: Sendable>(
        key: String, request: Caller, build: () async throws -> Outgoing, send: (Outgoing) async throws -> Response
    ) async throws -> Response {
        let callerBytes = try Self.bytes(request)
        guard callerBytes.count <= Self.maxCallerRequestBytes else {
            throw RPCError.invalidField("request", "\(callerBytes.count) bytes, more than any valid request (at most \(Self.maxCallerRequestBytes))")
        }
        if let stored = try await self.stored(key) {
            guard stored.caller == callerBytes else { throw Self.reused }
            return try await send(try Outgoing(serializedBytes: stored.outgoing))
        }
        let outgoing = try await build()
        let outgoingBytes = try Self.bytes(outgoing)
        let now = self.clock.nowMicros
        let (winner, inserted) = try await self.database.transaction { db -> ((caller: [UInt8], outgoing: [UInt8]), Bool) in
            let inserted = try db.execute("""
                    INSERT INTO gateway_intents (intent_key, caller_request, outgoing_request, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (intent_key) DO NOTHING
                    """,
                [key, Data(callerBytes), Data(outgoingBytes), now]) > 0
            return (try Self.row(key, in: db) ?? (callerBytes, outgoingBytes), inserted)
        }
        guard winner.caller == callerBytes else { throw Self.reused }
        do {
            return try await send(try Outgoing(serializedBytes: winner.outgoing))
        } catch let error as RPCError where inserted && error.outcome == .notExecuted {
            try await self.database.transaction { db in
                try db.execute("DELETE FROM gateway_intents WHERE intent_key = ?", [key])
            }
            throw error
        }
    }

    private func stored(_ key: String) async throws -> (caller: [UInt8], outgoing: [UInt8])? {
        try await self.database.snapshot { db in try Self.row(key, in: db) }
    }

    private static func row(_ key: String, in db: any SQLConnection) throws -> (caller: [UInt8], outgoing: [UInt8])? {
        guard let row = try db.queryOne("SELECT caller_request, outgoing_request FROM gateway_intents WHERE intent_key = ?", [key])
        else { return nil }
        let caller: Data = try row["caller_request"]
        let outgoing: Data = try row["outgoing_request"]
        return ([UInt8](caller), [UInt8](outgoing))
    }

    /// Deterministic bytes, so equal requests compare equal.
    private static func bytes(_ message: some SwiftProtobuf.Message) throws -> [UInt8] {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return try message.serializedBytes(options: options)
    }

    private static var reused: RPCError {
        RPCError.invalidField("idempotency_key", "was used before for a different request; a retry must repeat the first request exactly")
    }
}
