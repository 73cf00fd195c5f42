import AftercareWire
import NIOCore
import Testing

/// A frame's body read back through the typed API, so vectors can be compared as values.
enum TypedBody: Sendable, Hashable {
    case hello(HelloFields)
    case call(CallFields, request: [UInt8])
    case message([UInt8])
    case end(EndBody)
    case cancel(CancelReason)
    case credit(UInt32)
    case ping(UInt64)
    case drain(DrainBody)
    case connectionError(ConnectionErrorBody)

    struct UnexpectedType: Error {
        var type: FrameType
    }

    /// Reads `frame`'s body with the parser for its type.
    init(parsing frame: Frame) throws {
        switch frame.type {
        case .hello: self = .hello(try HelloFields.parse(frame.ext))
        case .call: self = .call(try CallFields.parse(frame.ext), request: Array(frame.payload.readableBytesView))
        case .message: self = .message(Array(frame.payload.readableBytesView))
        case .end: self = .end(try frame.endBody())
        case .cancel: self = .cancel(try frame.cancelReason())
        case .credit: self = .credit(try frame.creditIncrement())
        case .ping: self = .ping(frame.pingData())
        case .drain: self = .drain(try frame.drainBody())
        case .connectionError: self = .connectionError(frame.connectionErrorBody())
        default: throw UnexpectedType(type: frame.type)
        }
    }
}

/// One file of `proto-spec/vectors/` and the frame WIRE.md §14 says it holds, built with the typed API.
struct FrameVector: Sendable, CustomTestStringConvertible {
    var file: String
    var frame: Frame
    var body: TypedBody

    var testDescription: String { self.file }
}

extension FrameVector {
    static let echoHi: [UInt8] = [0x0A, 0x02, 0x68, 0x69]

    static let callFields = CallFields(
        method: "aftercare.echo.v1.Echo/Say",
        timeoutMicros: 1_500_000,
        traceParent: TraceParent(traceID: TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!, parentID: 0x00F0_67AA_0BA9_02B7, flags: 0x01),
        saga: SagaContext(sagaID: "sg_01", step: "reserve", direction: .forward, attempt: 1),
        idempotencyKey: "sg_01/reserve/forward",
        actor: "buyer:b_42",
        metadata: [MetadataEntry(key: "tenant", value: "acme")]
    )

    static let helloLimits = WireLimits(
        maxFrameSize: 1_048_576,
        maxMessageSize: 4_194_304,
        maxMetadataSize: 8_192,
        maxConcurrentCalls: 1_024,
        initialStreamWindow: 16
    )

    /// Every frame vector (all files but the preface), in file order.
    static let all: [FrameVector] = {
        let clientHello = HelloFields(version: ProtocolVersion(major: 1, minor: 0), limits: helloLimits, peerName: "python-interop", build: "1.0.0")
        let serverHello = HelloFields(version: ProtocolVersion(major: 1, minor: 0), limits: helloLimits, peerName: "aftercare-echo", build: "0.1.0")
        let endOK = EndBody(status: 0, outcome: 1, retryAfterMs: WireProtocol.noRetryHint, message: "")
        let endExhausted = EndBody(status: 8, outcome: 0, retryAfterMs: 250, message: "too many concurrent calls (limit 1024)")
        let drain = DrainBody(lastStreamID: 9, reason: .shutdown, deadlineMs: 5_000)
        let connectionError = ConnectionErrorBody(code: .protocolError, text: "expected HELLO, got CALL")
        let fragment: [UInt8] = [0x0A, 0x05, 0x68, 0x65, 0x6C]
        return [
            FrameVector(file: "02-hello-client.hex", frame: .hello(clientHello), body: .hello(clientHello)),
            FrameVector(file: "03-hello-server.hex", frame: .hello(serverHello), body: .hello(serverHello)),
            FrameVector(
                file: "04-call.hex",
                frame: .call(streamID: 1, fields: callFields, payload: ByteBuffer(bytes: echoHi), flags: .endStream),
                body: .call(callFields, request: echoHi)
            ),
            FrameVector(file: "05-message.hex", frame: .message(streamID: 1, payload: ByteBuffer(bytes: echoHi)), body: .message(echoHi)),
            FrameVector(file: "06-end-ok.hex", frame: .end(streamID: 1, endOK), body: .end(endOK)),
            FrameVector(file: "07-end-exhausted.hex", frame: .end(streamID: 3, endExhausted), body: .end(endExhausted)),
            FrameVector(file: "08-cancel.hex", frame: .cancel(streamID: 5, reason: .cancelledByCaller), body: .cancel(.cancelledByCaller)),
            FrameVector(file: "09-credit.hex", frame: .credit(streamID: 7, increment: 16), body: .credit(16)),
            FrameVector(file: "10-ping.hex", frame: .ping(0x0102_0304_0506_0708), body: .ping(0x0102_0304_0506_0708)),
            FrameVector(file: "11-pong.hex", frame: .ping(0x0102_0304_0506_0708, ack: true), body: .ping(0x0102_0304_0506_0708)),
            FrameVector(file: "12-drain.hex", frame: .drain(drain), body: .drain(drain)),
            FrameVector(file: "13-conn-error.hex", frame: .connectionError(connectionError), body: .connectionError(connectionError)),
            FrameVector(
                file: "14-message-fragment.hex",
                frame: .message(streamID: 11, payload: ByteBuffer(bytes: fragment), flags: .more),
                body: .message(fragment)
            ),
        ]
    }()

    static let prefaceFile = "01-preface.hex"
}
