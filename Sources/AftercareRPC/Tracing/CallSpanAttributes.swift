import AftercareWire
import Tracing

/// The attributes every call span has, server or client side: OpenTelemetry's RPC conventions
/// (`rpc.system`, `rpc.service`, `rpc.method`), the status as `rpc.aftercare.status_code` (as
/// `rpc.grpc.status_code` is for gRPC), and the saga the call is a step of.
enum CallSpanAttributes {
    /// Sets what is known when the call starts; nothing on a span that does not record (sampled out).
    static func start(_ span: any Span, method: String, saga: SagaContext?) {
        guard span.isRecording else { return }
        span.updateAttributes { attributes in
            attributes["rpc.system"] = "aftercare"
            let slash = method.lastIndex(of: "/") ?? method.endIndex
            attributes["rpc.service"] = String(method[..<slash])
            attributes["rpc.method"] = slash == method.endIndex ? method : String(method[method.index(after: slash)...])
            if let saga {
                attributes["aftercare.saga.id"] = saga.sagaID
                attributes["aftercare.saga.step"] = saga.step
                attributes["aftercare.saga.direction"] = "\(saga.direction)"
                attributes["aftercare.saga.attempt"] = Int(saga.attempt)
            }
        }
    }

    /// Sets the call's status and ends the span: an error status unless OK (no status on a span that
    /// does not record).
    static func end(_ span: any Span, status: RPCError.Code, message: String) {
        if span.isRecording {
            span.attributes["rpc.aftercare.status_code"] = Int(status.rawValue)
            if status != .ok { span.setStatus(SpanStatus(code: .error, message: "\(status): \(message)")) }
        }
        span.end()
    }
}
