import AftercareWire
import NIOCore

/// What the fuzzer runs on each input (`FuzzTesting/`, `make fuzz`), and the test suite on every
/// regression input: decode frames as a server or client would, parse every typed body, run the
/// HELLO checks, and check that what parses re-encodes to something that parses the same.
///
/// The first input byte picks the side: bit 0 set decodes as a server (preface expected), bit 1
/// set puts a valid preface in front (so the fuzzer spends its time past it).
package enum WireFuzzing {
    /// The largest frame the fuzzed decoder accepts: small, so size limits are reached too.
    static let maxFrameSize: UInt32 = 65_536

    /// Exercises one input. Traps (so the fuzzer reports a crash) if an invariant breaks.
    package static func exercise(_ input: some Collection<UInt8>) {
        guard let mode = input.first else { return }
        let asServer = mode & 1 == 1
        var buffer = ByteBuffer()
        if asServer, mode & 2 == 2 { buffer.writeBytes(WireProtocol.preface) }
        buffer.writeBytes(input.dropFirst())
        var decoder = FrameDecoder(expectPreface: asServer, maxFrameSize: Self.maxFrameSize)
        while true {
            let frame: Frame?
            do {
                frame = try decoder.decode(buffer: &buffer)
            } catch {
                return
            }
            guard let frame else { return }
            Self.exercise(frame)
        }
    }

    /// Parses a decoded frame's typed body and checks its round trip.
    static func exercise(_ frame: Frame) {
        Self.checkRoundTrip(frame)
        switch frame.type {
        case .hello:
            guard let hello = try? HelloFields.parse(frame.ext) else { return }
            _ = try? HelloNegotiation.acceptClient(hello, serverName: "fuzz")
            var ext = ByteBuffer()
            hello.write(to: &ext)
            precondition((try? HelloFields.parse(ext)) == hello, "HELLO fields do not survive a round trip")
        case .call:
            guard let fields = try? CallFields.parse(frame.ext) else { return }
            var ext = ByteBuffer()
            fields.write(to: &ext)
            precondition((try? CallFields.parse(ext)) == fields, "CALL fields do not survive a round trip")
        case .end:
            guard let body = try? frame.endBody() else { return }
            precondition((try? Frame.end(streamID: frame.streamID, body).endBody()) == body, "END does not survive a round trip")
        case .drain:
            guard let body = try? frame.drainBody() else { return }
            precondition((try? Frame.drain(body).drainBody()) == body, "DRAIN does not survive a round trip")
        case .cancel:
            _ = try? frame.cancelReason()
        case .credit:
            _ = try? frame.creditIncrement()
        case .ping:
            precondition(Frame.ping(frame.pingData()).pingData() == frame.pingData(), "PING does not survive a round trip")
        case .connectionError:
            _ = frame.connectionErrorBody()
        default:
            break
        }
    }

    /// A decoded frame re-encodes to bytes that decode to the same frame.
    private static func checkRoundTrip(_ frame: Frame) {
        var bytes = ByteBuffer()
        frame.write(to: &bytes)
        var decoder = FrameDecoder(expectPreface: false, maxFrameSize: Self.maxFrameSize)
        let again = try? decoder.decode(buffer: &bytes)
        precondition(again == frame, "\(frame) does not survive a round trip")
    }
}
