import AftercareRPC
import AftercareWire
import Tracing

// The saga's spans, when tracing is on (``AftercareRPC/CallTracing``): one per drive of a saga and
// one per call attempt or outcome query, in the saga's trace; an attempt's call is the client span
// under its attempt's span.
extension SagaEngine {
    /// Runs `drive` (this process driving `saga` until it is no longer active) in the saga's span,
    /// `saga <definition>`: in the saga's trace, a child of the call that wrote the event which
    /// started it (``SagaRecord/parentSpanID``; a parent of its own making when there is none), with
    /// the saga's id, definition and the state the drive left it in. Only for a sampled trace
    /// (`CallTracing.traces`).
    func traced(_ saga: SagaRecord, _ drive: () async throws -> SagaRecord) async throws -> SagaRecord {
        let parent = TraceParent(traceID: saga.traceID, parentID: saga.parentSpanID ?? .random(in: 1...UInt64.max))
        guard let traced = CallTracing.startSpan("saga \(saga.definition)", ofKind: .internal, under: parent) else { return try await drive() }
        traced.span.updateAttributes { attributes in
            attributes["aftercare.saga.id"] = saga.id
            attributes["aftercare.saga.definition"] = saga.definition
        }
        do {
            let ended = try await ServiceContext.withValue(traced.span.context) { try await drive() }
            traced.span.attributes["aftercare.saga.state"] = "\(ended.state)"
            traced.span.end()
            return ended
        } catch {
            traced.span.recordError(error)
            traced.span.setStatus(SpanStatus(code: .error, message: "the drive stopped: \(error)"))
            traced.span.end()
            throw error
        }
    }

    /// The span of one attempt at `due`, `step <step>/<direction>` for a call (numbered `attempt`) or
    /// `query <step>/<direction>` for an outcome query, under the saga's span.
    static func startStepSpan(_ saga: SagaRecord, _ due: Due, kind: SagaAttempt.Kind, attempt: Int?) -> TracedSpan {
        let name = kind == .call ? "step \(Self.label(due))" : "query \(Self.label(due))"
        let traced = CallTracing.startSpan(name, ofKind: .internal, in: ServiceContext.current ?? .topLevel)
        traced.span.updateAttributes { attributes in
            attributes["aftercare.saga.id"] = saga.id
            attributes["aftercare.saga.step"] = due.step.name
            attributes["aftercare.saga.direction"] = "\(due.direction)"
            attributes["aftercare.saga.attempt_kind"] = kind.rawValue
            if let attempt { attributes["aftercare.saga.attempt"] = attempt }
        }
        return traced
    }

    /// Makes the attempt's `call` and ends its span (if traced): an error status when the call failed.
    static func attempt<Response>(in step: TracedSpan?, _ call: () async throws -> Response) async throws -> Response {
        guard let step else { return try await call() }
        do {
            let response = try await call()
            step.span.end()
            return response
        } catch {
            step.span.setStatus(SpanStatus(code: .error, message: "\((error as? RPCError).map { "\($0.code): \($0.message)" } ?? "\(error)")"))
            step.span.end()
            throw error
        }
    }
}
