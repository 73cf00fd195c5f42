public import AftercareRPC

extension RPCError {
    /// INVALID_ARGUMENT naming the request field that is wrong: `"<field>: <problem>"`. Nothing ran.
    public static func invalidField(_ field: String, _ problem: String) -> RPCError {
        RPCError(.invalidArgument, "\(field): \(problem)", outcome: .notExecuted)
    }

    /// NOT_FOUND naming what was looked up: `"<field>: no <kind> <id>"`. Nothing ran.
    public static func notFound(_ field: String, kind: String, id: String) -> RPCError {
        RPCError(.notFound, "\(field): no \(kind) \(id)", outcome: .notExecuted)
    }

    /// FAILED_PRECONDITION naming the state that forbids the call. Nothing ran.
    public static func failedPrecondition(_ message: String) -> RPCError {
        RPCError(.failedPrecondition, message, outcome: .notExecuted)
    }
}
