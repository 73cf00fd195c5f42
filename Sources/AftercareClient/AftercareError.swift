public import AftercareRPC

/// The one error every ``AftercareClient`` call throws.
///
/// It carries the gateway's status code and message (which name the field or the state that is
/// wrong, e.g. `INVALID_ARGUMENT: lines[0].quantity must be at least 1`), whether the call's effect
/// happened, and how many times the client tried.
///
/// ```swift
/// do {
///     _ = try await client.apply(request)
/// } catch let error where error.code == .failedPrecondition {
///     print("the order cannot take a case now: \(error.message)")
/// }
/// ```
public struct AftercareError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status code (gRPC's canonical set).
    public var code: Code
    /// For people; names the field or state that is wrong.
    public var message: String
    /// Whether the call's effect happened: `.notExecuted` means it certainly did not (retrying with
    /// a new key is safe), `.unknown` that it may have (retry with the same idempotency key).
    public var outcome: Outcome
    /// The gateway method, e.g. `aftercare.gateway.v1.Gateway/Apply`.
    public var method: String
    /// Attempts made, retries included.
    public var attempts: Int

    /// Whether the call's effect happened.
    public enum Outcome: String, Sendable, Hashable {
        case notExecuted = "not_executed"
        case executed
        case unknown
    }

    /// The status code: `.invalidArgument`, `.notFound`, `.permissionDenied`, `.failedPrecondition`,
    /// `.unavailable`, `.deadlineExceeded`, … (`AftercareRPC`'s `RPCError.Code`).
    public typealias Code = RPCError.Code

    public init(code: Code, message: String, outcome: Outcome, method: String, attempts: Int) {
        self.code = code
        self.message = message
        self.outcome = outcome
        self.method = method
        self.attempts = attempts
    }

    /// `CODE: message (method, after N attempts)`.
    public var description: String {
        let tries = self.attempts > 1 ? ", after \(self.attempts) attempts" : ""
        return "\(self.code): \(self.message) (\(self.method)\(tries))"
    }

    /// Whether waiting and calling again (with the same idempotency key) may succeed.
    public var isTransient: Bool { self.code.isTransient }

    /// The error `error` (from the runtime, or anything else) became on `method`'s `attempts`th try.
    init(_ error: any Error, method: String, attempts: Int) {
        guard let rpc = error as? RPCError else {
            self.init(code: .unknown, message: "\(error)", outcome: .unknown, method: method, attempts: attempts)
            return
        }
        let outcome: Outcome =
            switch rpc.outcome {
            case .notExecuted: .notExecuted
            case .executed: .executed
            case .unknown, nil: .unknown
            }
        self.init(code: rpc.code, message: rpc.message, outcome: outcome, method: method, attempts: attempts)
    }
}
