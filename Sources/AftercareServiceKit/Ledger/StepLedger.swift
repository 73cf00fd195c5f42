import AftercareCrashPoints
public import AftercareRPC
public import AftercareWire
import Foundation
public import SwiftProtobuf

/// A service's step ledger: every saga-facing mutation runs once per `<saga id>/<step>/<direction>`,
/// in the same transaction as its write (both commit, or neither).
///
/// - A duplicate call gets the stored result (or the stored refusal).
/// - A compensation for a step that never ran, or was refused, is answered "nothing to undo", and
///   that is remembered.
/// - A forward call arriving after its compensation is refused with FAILED_PRECONDITION.
public struct StepLedger: Sendable {
    public let database: any SQLDatabase
    public let clock: ServiceClock

    public init(database: any SQLDatabase, clock: ServiceClock) {
        self.database = database
        self.clock = clock
    }

    /// Runs `body` once for `saga`'s step and direction, in one write transaction with the ledger.
    ///
    /// - Parameters:
    ///   - saga: the call's saga context.
    ///   - method: the method running it, for the record.
    ///   - nothingToUndo: the response to a compensation whose forward step never ran.
    ///   - body: the service's write; its response is stored.
    public func run<Response: SwiftProtobuf.Message>(
        _ saga: SagaContext,
        method: String,
        nothingToUndo: @escaping @Sendable () -> Response = { Response() },
        _ body: @escaping @Sendable (any SQLConnection) throws -> Response
    ) async throws -> Response {
        do {
            let response = try await self.database.transaction { db in
                try self.runInTransaction(saga, method: method, nothingToUndo: nothingToUndo, body, in: db)
            }
            CrashPoints.reach(.stepCommitted, Self.context(saga))
            return response
        } catch let error as RPCError where Self.isRefusal(error.code) {
            // The write rolled back; remember the refusal, so a duplicate gets the same answer.
            try await self.rememberRefusal(error, of: saga, method: method)
            throw error
        }
    }

    /// Records `error`, a refusal, as the answer of `saga`'s step, unless the step already has
    /// one (under the step's lock, in a transaction of its own): a repeated call then gets the same
    /// refusal. For a service whose step rules run outside ``run(_:method:nothingToUndo:_:)``.
    package func rememberRefusal(_ error: RPCError, of saga: SagaContext, method: String) async throws {
        try await self.database.transaction { db in
            try self.serialize(saga, in: db)
            if try self.record(saga.sagaID, saga.step, saga.direction, in: db) == nil {
                try self.store(
                    StepRecord(
                        outcome: .refused, method: method, statusCode: error.code, statusMessage: error.message,
                        recordedAtMicros: self.clock.nowMicros),
                    for: saga, in: db)
            }
        }
    }

    /// The rules of ``run(_:method:nothingToUndo:_:)`` inside a transaction the caller holds.
    public func runInTransaction<Response: SwiftProtobuf.Message>(
        _ saga: SagaContext,
        method: String,
        nothingToUndo: () -> Response,
        _ body: (any SQLConnection) throws -> Response,
        in db: any SQLConnection
    ) throws -> Response {
        // Two calls of one step at once: the second reads what the first wrote, once it committed.
        try self.serialize(saga, in: db)
        if let existing = try self.record(saga.sagaID, saga.step, saga.direction, in: db) {
            return try existing.replay(as: Response.self)
        }
        switch saga.direction {
        case .forward:
            if try self.record(saga.sagaID, saga.step, .compensate, in: db) != nil {
                throw RPCError.failedPrecondition(
                    "step \(saga.step) of saga \(saga.sagaID) was already compensated; its forward call is refused")
            }
        case .compensate:
            let forward = try self.record(saga.sagaID, saga.step, .forward, in: db)
            if forward == nil || forward?.outcome == .refused {
                let response = nothingToUndo()
                try self.store(
                    StepRecord(outcome: .nothingToUndo, method: method, response: try response.serializedBytes(),
                               recordedAtMicros: self.clock.nowMicros),
                    for: saga, in: db)
                return response
            }
        }
        let response = try body(db)
        try self.store(
            StepRecord(outcome: .done, method: method, response: try response.serializedBytes(), recordedAtMicros: self.clock.nowMicros),
            for: saga, in: db)
        CrashPoints.reach(.stepUncommitted, Self.context(saga))
        return response
    }

    /// Holds the lock of `saga`'s step (both directions: each direction's rule reads the other's
    /// record) until the transaction ends. Every call of a step takes it before reading the
    /// ledger; a service that keeps a step's rules outside ``run(_:method:nothingToUndo:_:)``
    /// takes it too, so that a forward call and its compensation at once run one after the other.
    package func serialize(_ saga: SagaContext, in db: any SQLConnection) throws {
        try db.serialize(on: SQLLockKey("step_ledger:\(saga.sagaID)/\(saga.step)"))
    }

    /// A crash point's context for a step: `<saga id>/<step>/<direction>`.
    public static func context(_ saga: SagaContext) -> String {
        CrashPoint.stepContext(saga.sagaID, saga.step, saga.direction)
    }

    /// What the ledger holds for one direction of a step.
    public func record(_ sagaID: String, _ step: String, _ direction: SagaDirection, in db: any SQLConnection) throws -> StepRecord? {
        guard let row = try db.queryOne("""
                SELECT outcome, method, status_code, status_message, response, recorded_at FROM step_ledger
                WHERE saga_id = ? AND step = ? AND direction = ?
                """,
            [sagaID, step, direction.description])
        else { return nil }
        let outcomeText: String = try row["outcome"]
        guard let outcome = StepRecord.Outcome(rawValue: outcomeText) else {
            throw RPCError(.dataLoss, "step ledger holds an unknown outcome \(outcomeText) for \(sagaID)/\(step)/\(direction)")
        }
        let code: Int = try row["status_code"]
        let response: Data? = try row["response"]
        return StepRecord(
            outcome: outcome, method: try row["method"], statusCode: RPCError.Code(rawValue: UInt16(clamping: code)),
            statusMessage: try row["status_message"], response: response.map { [UInt8]($0) }, recordedAtMicros: try row["recorded_at"])
    }

    /// Stores (or replaces: a pending step settles) one direction of a step.
    public func store(_ record: StepRecord, for saga: SagaContext, in db: any SQLConnection) throws {
        try db.execute("""
                INSERT INTO step_ledger (saga_id, step, direction, outcome, method, status_code, status_message, response, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (saga_id, step, direction) DO UPDATE SET
                    outcome = excluded.outcome, method = excluded.method, status_code = excluded.status_code,
                    status_message = excluded.status_message, response = excluded.response, recorded_at = excluded.recorded_at
                """,
            [
                saga.sagaID, saga.step, saga.direction.description, record.outcome.rawValue, record.method,
                Int(record.statusCode.rawValue), record.statusMessage, record.response.map { Data($0) }, record.recordedAtMicros,
            ])
    }

    /// Both directions of a step, as `QueryStep` answers.
    public func query(sagaID: String, step: String) async throws -> Aftercare_Common_V1_QueryStepResponse {
        try await self.database.snapshot { db in
            var response = Aftercare_Common_V1_QueryStepResponse()
            if let forward = try self.record(sagaID, step, .forward, in: db) { response.forward = forward.entry }
            if let compensate = try self.record(sagaID, step, .compensate, in: db) { response.compensate = compensate.entry }
            return response
        }
    }

    /// Codes that are a service's decision, not a transient failure: remembered for duplicates.
    public static func isRefusal(_ code: RPCError.Code) -> Bool {
        [.invalidArgument, .notFound, .alreadyExists, .failedPrecondition, .outOfRange, .permissionDenied].contains(code)
    }
}
