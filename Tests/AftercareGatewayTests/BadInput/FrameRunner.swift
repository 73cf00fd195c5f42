import AftercareNIO
import AftercareRPC
import AftercareTesting
import AftercareWire

/// Runs one ``FrameCase`` over a fresh connection (mutual TLS, the bytes as written) and answers
/// nil when the server did what the case expects, or what it did instead.
enum FrameRunner {
    /// The PING a check sends to see that a connection is still served.
    static let probe: UInt64 = 0xB0B0_CAFE_F00D_0001

    static func run(_ testCase: FrameCase, over transport: NIOClientTransport) async -> String? {
        do {
            return try await transport.withRawByteConnection { raw in
                if case .ready = testCase.start {
                    try await raw.write(Bytes.preface + Bytes.helloFrame())
                    guard await raw.wait(timeout: .seconds(10), until: { frames, _ in frames.contains { $0.type == .hello } }) else {
                        return "no server HELLO to a good one: \(Self.describe(raw.received))"
                    }
                }
                for step in testCase.steps {
                    switch step {
                    case .send(let bytes):
                        // The server may have closed already; what it answered is checked below.
                        try? await raw.write(bytes)
                    case .awaitEnd(let stream):
                        guard await raw.wait(timeout: .seconds(10), until: { frames, _ in frames.contains { $0.type == .end && $0.streamID == stream } }) else {
                            return "no END for stream \(stream) before the rest of the case: \(Self.describe(raw.received))"
                        }
                    }
                }
                return await Self.check(testCase.expect, raw, timeout: testCase.timeout)
            }
        } catch {
            return "could not run: \(error)"
        }
    }

    private static func check(_ expect: FrameCase.Expect, _ raw: RawByteConnection, timeout: Duration) async -> String? {
        switch expect {
        case .connError(let code):
            _ = await raw.wait(timeout: timeout) { frames, _ in frames.contains { $0.type == .connectionError } }
            let received = raw.received
            guard let error = received.frames.first(where: { $0.type == .connectionError })?.connectionErrorBody() else {
                return "no CONN_ERROR (\(received.closed ? "closed" : "still open")): \(Self.describe(received))"
            }
            guard error.code == code else { return "CONN_ERROR \(error.code) \"\(error.text)\"" }
            guard await raw.wait(timeout: .seconds(5), until: { $1 }) else { return "CONN_ERROR \(error.code) but the connection stayed open" }
            return nil

        case .closedSilently:
            _ = await raw.wait(timeout: timeout) { $1 }
            let received = raw.received
            let sent = received.frames.filter { $0.type != .hello }
            guard received.closed else { return "still open after \(timeout): \(Self.describe(received))" }
            return sent.isEmpty ? nil : "closed after sending \(Self.describe((sent, true)))"

        case .end(let stream, let code, let outcome, let naming):
            _ = await raw.wait(timeout: timeout) { frames, _ in
                frames.contains { ($0.type == .end && $0.streamID == stream) || $0.type == .connectionError }
            }
            let received = raw.received
            guard let end = received.frames.first(where: { $0.type == .end && $0.streamID == stream }), let body = try? end.endBody() else {
                return "no END for stream \(stream): \(Self.describe(received))"
            }
            let got = "END \(stream) \(RPCError.Code(wire: body.status)) \(CallOutcome(rawValue: body.outcome).map { "\($0)" } ?? "\(body.outcome)") \"\(body.message)\""
            guard body.status == code.rawValue, outcome.map({ $0.rawValue == body.outcome }) ?? true, naming.map({ body.message.contains($0) }) ?? true else {
                return got
            }
            return await Self.stillServed(raw).map { "\(got), then \($0)" }

        case .kept:
            return await Self.stillServed(raw)

        case .waits:
            try? await Task.sleep(for: .seconds(1))
            let received = raw.received
            let sent = received.frames.filter { $0.type != .hello }
            guard !received.closed, sent.isEmpty else { return "did not wait: \(Self.describe(received))" }
            return nil
        }
    }

    /// Sends a PING and waits for its PONG; nil if it came with no CONN_ERROR before it.
    private static func stillServed(_ raw: RawByteConnection) async -> String? {
        try? await raw.write(Bytes.pingFrame(Self.probe))
        let answered = await raw.wait(timeout: .seconds(5)) { frames, _ in
            frames.contains { ($0.type == .ping && $0.flags.contains(.ack) && $0.pingData() == Self.probe) || $0.type == .connectionError }
        }
        let received = raw.received
        if let error = received.frames.first(where: { $0.type == .connectionError })?.connectionErrorBody() {
            return "CONN_ERROR \(error.code) \"\(error.text)\""
        }
        return answered ? nil : "no PONG to a PING (\(received.closed ? "closed" : "open")): \(Self.describe(received))"
    }

    /// The frames a server sent, for people: CONN_ERRORs and ENDs with their texts.
    static func describe(_ received: (frames: [Frame], closed: Bool)) -> String {
        let frames = received.frames.map { frame -> String in
            switch frame.type {
            case .connectionError:
                let body = frame.connectionErrorBody()
                return "CONN_ERROR \(body.code) \"\(body.text)\""
            case .end:
                guard let body = try? frame.endBody() else { return "\(frame)" }
                return "END \(frame.streamID) \(RPCError.Code(wire: body.status)) \"\(body.message)\""
            default:
                return "\(frame.type)\(frame.streamID == 0 ? "" : " \(frame.streamID)")"
            }
        }
        return "[\(frames.joined(separator: ", "))]\(received.closed ? " closed" : "")"
    }
}
