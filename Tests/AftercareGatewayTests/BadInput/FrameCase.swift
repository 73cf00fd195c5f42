import AftercareRPC
import AftercareWire

/// One malformed input on the wire (WIRE.md) and what the server must do with it.
struct FrameCase: Sendable {
    /// How far the connection gets before the case's bytes.
    enum Start: Sendable {
        /// Preface and a good HELLO sent, the server's HELLO received.
        case ready
        /// Nothing sent: the case's bytes are the first on the connection (inside TLS).
        case nothing
    }

    /// What is written: bytes, or a pause until the END of a call arrives.
    enum Step: Sendable {
        case send([UInt8])
        case awaitEnd(UInt32)
    }

    /// What the server must answer.
    enum Expect: Sendable, CustomStringConvertible {
        /// CONN_ERROR with this code, then the connection closed.
        case connError(ConnectionErrorCode)
        /// The connection closed with nothing sent (but the server's HELLO, if it got that far).
        case closedSilently
        /// END on the stream with the status (and outcome, and a message naming `naming`), the
        /// connection kept: a PING sent after it is answered.
        case end(UInt32, RPCError.Code, CallOutcome?, naming: String?)
        /// No CONN_ERROR: a PING sent after the case's bytes is answered (ENDs of the case's calls
        /// may come too).
        case kept
        /// Nothing for a second, the connection open: a frame cut short is waited for, not an error.
        case waits

        var description: String {
            switch self {
            case .connError(let code): "CONN_ERROR \(code)"
            case .closedSilently: "closed without a frame"
            case .end(let stream, let code, let outcome, let naming):
                "END \(stream) \(code)" + (outcome.map { " \($0)" } ?? "") + (naming.map { " naming \"\($0)\"" } ?? "") + ", connection kept"
            case .kept: "connection kept (PING answered)"
            case .waits: "nothing for a second, the connection open"
            }
        }
    }

    let name: String
    let start: Start
    let steps: [Step]
    let expect: Expect
    /// How long the answer may take (HELLO_TIMEOUT cases wait over 10 s).
    let timeout: Duration

    init(_ name: String, _ bytes: [UInt8], _ expect: Expect, start: Start = .ready, timeout: Duration = .seconds(5)) {
        self.init(name, steps: [.send(bytes)], expect, start: start, timeout: timeout)
    }

    init(_ name: String, steps: [Step], _ expect: Expect, start: Start = .ready, timeout: Duration = .seconds(5)) {
        self.name = name
        self.start = start
        self.steps = steps
        self.expect = expect
        self.timeout = timeout
    }
}

extension FrameCase.Expect {
    /// The connection error WIRE.md names for any broken framing rule.
    static let protocolError = Self.connError(.protocolError)
    /// A call refused before it ran, on stream 1 unless said otherwise.
    static func refused(_ code: RPCError.Code, naming: String? = nil, stream: UInt32 = 1) -> Self {
        .end(stream, code, .notExecuted, naming: naming)
    }
    /// Health on stream `stream` answered OK.
    static func ok(_ stream: UInt32 = 1) -> Self { .end(stream, .ok, .executed, naming: nil) }
}
