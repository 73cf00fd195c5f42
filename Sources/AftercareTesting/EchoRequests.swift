package import AftercareEcho
package import AftercareRPC
package import AftercareWire
import Foundation

/// Echo requests and span queries the tests share.
package enum Echo {
    /// An `EchoRequest`.
    package static func say(_ text: String, payload: [UInt8] = [], sleepMs: UInt32 = 0, failCode: UInt32 = 0, failMessage: String = "") -> Aftercare_Echo_V1_EchoRequest {
        var request = Aftercare_Echo_V1_EchoRequest()
        request.text = text
        request.payload = Data(payload)
        request.sleepMs = sleepMs
        request.failCode = failCode
        request.failMessage = failMessage
        return request
    }

    /// An `EchoStreamRequest` for `count` messages of `payloadSize` bytes.
    package static func stream(_ count: UInt32, payloadSize: UInt32 = 0) -> Aftercare_Echo_V1_EchoStreamRequest {
        var request = Aftercare_Echo_V1_EchoStreamRequest()
        request.count = count
        request.payloadSize = payloadSize
        return request
    }

    /// Polls the server's spans of `trace` until `done` holds, for about 5 s (spans are recorded
    /// as calls end).
    package static func spans(
        of trace: TraceID,
        from client: RPCClient,
        until done: ([Aftercare_Common_V1_Span]) -> Bool
    ) async throws -> [Aftercare_Common_V1_Span] {
        var request = Aftercare_Common_V1_QuerySpansRequest()
        request.traceID = "\(trace)"
        for _ in 0..<250 {
            let spans = try await client.unary(BuiltinMethods.querySpans, request).spans
            if done(spans) { return spans }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await client.unary(BuiltinMethods.querySpans, request).spans
    }
}
