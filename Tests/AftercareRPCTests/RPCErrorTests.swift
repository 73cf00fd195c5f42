import AftercareRPC
import Testing

/// The error every call fails with: codes as on the wire, and what its outcome allows.
@Suite("RPCError")
struct RPCErrorTests {
    @Test("codes keep gRPC's numbers and names; unknown numbers read as UNKNOWN")
    func codes() {
        #expect(RPCError.Code.resourceExhausted.rawValue == 8)
        #expect(RPCError.Code.unauthenticated.rawValue == 16)
        #expect("\(RPCError.Code.failedPrecondition)" == "FAILED_PRECONDITION")
        #expect(RPCError.Code(wire: 9) == .failedPrecondition)
        #expect(RPCError.Code(wire: 17) == .unknown)
        #expect(RPCError.Code(wire: 1_000) == .unknown)
    }

    @Test("only unavailable, deadline exceeded and resource exhausted are transient")
    func transient() {
        let transient = (0...16).map { RPCError.Code(rawValue: $0) }.filter(\.isTransient)
        #expect(transient == [.deadlineExceeded, .resourceExhausted, .unavailable])
    }

    @Test("only a call that was not executed is safe to retry at once", arguments: [
        (CallOutcome.notExecuted, true), (.executed, false), (.unknown, false),
    ])
    func safeToRetry(_ outcome: CallOutcome, _ safe: Bool) {
        #expect(RPCError(.unavailable, "x", outcome: outcome).isSafeToRetry == safe)
    }

    @Test("the description names code, message and outcome")
    func description() {
        #expect("\(RPCError(.notFound, "no order ord_1", outcome: .executed))" == "NOT_FOUND: no order ord_1 (executed)")
    }
}
