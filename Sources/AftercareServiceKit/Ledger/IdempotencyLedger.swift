import AftercareCrashPoints
import AftercareRPC
import Foundation
public import SwiftProtobuf

/// Mutations outside sagas, made idempotent by the caller's key: the same key with the same
/// arguments gets the first result; the same key with different arguments is INVALID_ARGUMENT.
/// Only successes are stored: a refused call changed nothing, so it may be retried corrected.
public struct IdempotencyLedger: Sendable {
    public let database: any SQLDatabase
    public let clock: ServiceClock

    /// The longest key accepted.
    public static let maxKeyLength = 200

    public init(database: any SQLDatabase, clock: ServiceClock) {
        self.database = database
        self.clock = clock
    }

    /// Runs `body` once for (`method`, `key`), in one write transaction with the ledger.
    public func run<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        method: String,
        key: String,
        request: Request,
        _ body: @escaping @Sendable (any SQLConnection) throws -> Response
    ) async throws -> Response {
        try RequestCheck.required(key, "idempotency_key", maxLength: Self.maxKeyLength)
        let requestBytes = try Self.canonicalBytes(request)
        let response = try await self.database.transaction { db in
            try self.runInTransaction(method: method, key: key, requestBytes: requestBytes, body, in: db)
        }
        CrashPoints.reach(.keyedCommitted, "\(method)/\(key)")
        return response
    }

    /// The rules of ``run(method:key:request:_:)`` inside a transaction the caller holds.
    public func runInTransaction<Response: SwiftProtobuf.Message>(
        method: String,
        key: String,
        requestBytes: [UInt8],
        _ body: (any SQLConnection) throws -> Response,
        in db: any SQLConnection
    ) throws -> Response {
        // Two calls under one key at once: the second reads what the first wrote, once it committed.
        try db.serialize(on: SQLLockKey("idempotency_keys:\(method)/\(key)"))
        if let row = try db.queryOne(
            "SELECT request, response FROM idempotency_keys WHERE method = ? AND idempotency_key = ?", [method, key])
        {
            let storedRequest: Data = try row["request"]
            guard storedRequest == Data(requestBytes) else {
                throw RPCError.invalidField("idempotency_key", "\(key) was already used with different arguments")
            }
            return try Response(serializedBytes: try row["response"] as Data)
        }
        let response = try body(db)
        try db.execute(
            "INSERT INTO idempotency_keys (method, idempotency_key, request, response, recorded_at) VALUES (?, ?, ?, ?, ?)",
            [method, key, Data(requestBytes), try response.serializedData(), self.clock.nowMicros])
        return response
    }

    /// The request's bytes with map entries in a fixed order, so equal requests compare equal.
    public static func canonicalBytes(_ message: some SwiftProtobuf.Message) throws -> [UInt8] {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return try message.serializedBytes(options: options)
    }
}
