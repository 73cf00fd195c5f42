package import AftercareRPC
import AftercareWire
import Foundation

/// The echo service of `proto-spec/echo.proto`: reflects what a call carried, so tests on every
/// transport, and clients in other languages, can check what the wire delivered.
package struct EchoService: RPCService {
    /// `Say`: one request, one response.
    package static let say = MethodDescriptor<Aftercare_Echo_V1_EchoRequest, Aftercare_Echo_V1_EchoResponse>("aftercare.echo.v1.Echo/Say")
    /// `Stream`: one request, `count` responses, flow-controlled.
    package static let stream = MethodDescriptor<Aftercare_Echo_V1_EchoStreamRequest, Aftercare_Echo_V1_EchoResponse>(
        "aftercare.echo.v1.Echo/Stream", kind: .serverStreaming)

    /// Principals allowed to call `Say`; `nil` admits every caller.
    package var sayAllowed: Set<String>?
    /// Told the text of every `Say` as its handler starts, so tests can wait for a call to run.
    package var onSay: (@Sendable (String) -> Void)?

    /// - Parameters:
    ///   - sayAllowed: principals allowed to call `Say`; `nil` admits every caller.
    ///   - onSay: told the text of every `Say` as its handler starts.
    package init(sayAllowed: Set<String>? = nil, onSay: (@Sendable (String) -> Void)? = nil) {
        self.sayAllowed = sayAllowed
        self.onSay = onSay
    }

    package func register(in router: inout RPCRouter) {
        router.unary(Self.say, allowed: self.sayAllowed) { [onSay] request, context in
            onSay?(request.text)
            return try await Self.say(request, context)
        }
        router.serverStreaming(Self.stream) { request, context, writer in
            for index in 0..<request.count {
                var response = Self.reflect(context)
                response.text = request.text
                response.index = index
                response.payload = Data(repeating: UInt8(truncatingIfNeeded: index), count: Int(request.payloadSize))
                try await writer.write(response)
            }
        }
    }

    private static func say(_ request: Aftercare_Echo_V1_EchoRequest, _ context: ServerContext) async throws -> Aftercare_Echo_V1_EchoResponse {
        if request.sleepMs > 0 {
            try await Task.sleep(for: .milliseconds(request.sleepMs))
        }
        if request.failCode != 0 {
            throw RPCError(RPCError.Code(rawValue: UInt16(clamping: request.failCode)), request.failMessage)
        }
        var response = Self.reflect(context)
        response.text = request.text
        response.payload = request.payload
        return response
    }

    /// What the server saw of the call.
    private static func reflect(_ context: ServerContext) -> Aftercare_Echo_V1_EchoResponse {
        var response = Aftercare_Echo_V1_EchoResponse()
        response.caller = context.peer.description
        response.traceID = "\(context.traceID)"
        response.saga = context.saga.map { "\($0)" } ?? ""
        response.idempotencyKey = context.idempotencyKey ?? ""
        response.actor = context.actor ?? ""
        for entry in context.metadata where !entry.key.hasSuffix("-bin") && response.metadata[entry.key] == nil {
            response.metadata[entry.key] = context.metadata[entry.key]
        }
        return response
    }
}
