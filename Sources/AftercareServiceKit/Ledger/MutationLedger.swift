public import AftercareRPC
public import SwiftProtobuf

/// The one way a service's mutating handler runs its write, so that a retry never applies it
/// twice: by the call's saga step (``StepLedger``) when it carries a saga context, otherwise by its
/// idempotency key (``IdempotencyLedger``). A call with neither runs plainly when its write is
/// idempotent by a natural key; otherwise it is refused.
public struct MutationLedger: Sendable {
    public let steps: StepLedger
    public let keys: IdempotencyLedger
    public let database: any SQLDatabase

    public init(database: any SQLDatabase, clock: ServiceClock) {
        self.database = database
        self.steps = StepLedger(database: database, clock: clock)
        self.keys = IdempotencyLedger(database: database, clock: clock)
    }

    /// How a call without a saga context or idempotency key is treated.
    public enum WithoutKey: Sendable {
        /// Refused with INVALID_ARGUMENT naming `idempotency_key`.
        case refuse
        /// Run: the write is idempotent by a natural key (a carrier event id, say).
        case naturalKey
    }

    /// Runs a mutating call's write once.
    ///
    /// - Parameters:
    ///   - context: the call; its saga context or idempotency key decides.
    ///   - request: compared with the first request under the same key.
    ///   - withoutKey: what to do when the call has neither.
    ///   - nothingToUndo: the answer to a compensation whose forward step never ran.
    ///   - body: the write, in the same transaction as the ledger.
    public func once<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ context: ServerContext,
        request: Request,
        withoutKey: WithoutKey = .refuse,
        nothingToUndo: @escaping @Sendable () -> Response = { Response() },
        _ body: @escaping @Sendable (any SQLConnection) throws -> Response
    ) async throws -> Response {
        if let saga = context.saga {
            return try await self.steps.run(saga, method: context.method, nothingToUndo: nothingToUndo, body)
        }
        if let key = context.idempotencyKey {
            return try await self.keys.run(method: context.method, key: key, request: request, body)
        }
        switch withoutKey {
        case .refuse:
            throw RPCError.invalidField("idempotency_key", "required for \(context.method) outside a saga")
        case .naturalKey:
            return try await self.database.transaction(body)
        }
    }
}
