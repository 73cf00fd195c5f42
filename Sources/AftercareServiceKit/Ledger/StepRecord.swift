public import AftercareRPC
public import SwiftProtobuf

/// What a service's step ledger holds for one direction of one saga step.
public struct StepRecord: Sendable, Hashable {
    /// What became of it.
    public enum Outcome: String, Sendable, Hashable {
        /// The effect happened; ``StepRecord/response`` is what the call answered.
        case done
        /// Refused; nothing changed. A duplicate gets the same refusal.
        case refused
        /// A compensation for a step that never ran (or was refused): nothing changed.
        case nothingToUndo = "nothing_to_undo"
        /// Started and waiting on an outside party (a payment provider); settled later.
        case pending
    }

    public var outcome: Outcome
    /// The method that ran it.
    public var method: String
    public var statusCode: RPCError.Code
    public var statusMessage: String
    /// The serialized response of a `done` or `nothingToUndo` step.
    public var response: [UInt8]?
    public var recordedAtMicros: Int64

    public init(
        outcome: Outcome, method: String, statusCode: RPCError.Code = .ok, statusMessage: String = "", response: [UInt8]? = nil,
        recordedAtMicros: Int64
    ) {
        self.outcome = outcome
        self.method = method
        self.statusCode = statusCode
        self.statusMessage = statusMessage
        self.response = response
        self.recordedAtMicros = recordedAtMicros
    }

    /// The stored answer again: the response of a done step, the error of a refused one.
    public func replay<Response: SwiftProtobuf.Message>(as type: Response.Type) throws -> Response {
        switch self.outcome {
        case .done, .nothingToUndo:
            return try Response(serializedBytes: self.response ?? [])
        case .refused:
            throw RPCError(self.statusCode, self.statusMessage, outcome: .notExecuted)
        case .pending:
            throw RPCError(.unavailable, "\(self.method) is still pending with an outside party; retry later", outcome: .unknown)
        }
    }

    /// The record as `QueryStep` reports it.
    public var entry: Aftercare_Common_V1_StepEntry {
        var entry = Aftercare_Common_V1_StepEntry()
        entry.outcome = switch self.outcome {
        case .done: .done
        case .refused: .refused
        case .nothingToUndo: .nothingToUndo
        case .pending: .pending
        }
        entry.method = self.method
        entry.statusCode = UInt32(self.statusCode.rawValue)
        entry.statusMessage = self.statusMessage
        entry.recordedAtUnixMicros = self.recordedAtMicros
        entry.response = .init(self.response ?? [])
        return entry
    }
}
