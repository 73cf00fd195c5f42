import AftercareWire
import NIOCore

/// The client side of one connection's protocol (WIRE.md §2, §6–§10) as a state machine: each
/// input — a decoded frame, a call opened or given up, a timer — returns what to do. It owns no
/// tasks, sockets or timers; ``ClientConnectionHandler`` carries its actions out on the event loop.
struct ClientConnectionStateMachine {
    enum Phase {
        case handshaking
        case ready
        /// The server drained, or the client is closing: no new calls.
        case draining(lastStreamID: UInt32)
        case closed
    }

    /// What to do after a frame.
    enum ReceiveAction {
        case none
        /// The server's HELLO: the connection is ready.
        case ready(HelloFields)
        case message(UInt32, Frame)
        case end(UInt32, EndBody)
        case send(Frame)
        /// DRAIN: these calls were not accepted (not executed); the connection takes no new calls.
        case drained(refused: [UInt32])
        /// Close the connection, failing every open call with this error.
        case fail(RPCError)
    }

    private struct OpenCall {
        var deadline: ContinuousClock.Instant
    }

    private let configuration: RPCClient.Configuration
    private let label: String
    private(set) var phase = Phase.handshaking
    private(set) var nextStreamID: UInt32 = 1
    private var calls: [UInt32: OpenCall] = [:]
    /// The server's HELLO, once read.
    private(set) var server = HelloFields(peerName: "", build: "")
    /// When a frame was last read, for keep-alive.
    private(set) var lastRead = ContinuousClock.now

    init(configuration: RPCClient.Configuration, label: String) {
        self.configuration = configuration
        self.label = label
    }

    var hello: Frame { .hello(self.configuration.hello) }

    var isReady: Bool {
        if case .ready = self.phase { return true }
        return false
    }

    var hasCalls: Bool { !self.calls.isEmpty }

    // MARK: Calls

    /// Opens a call: its stream id and the frames to write (CALL and any fragments), or why it
    /// cannot open (not executed).
    mutating func open(_ fields: CallFields, _ request: ByteBuffer, deadline: ContinuousClock.Instant) -> Result<(UInt32, RequestFrames), RPCError> {
        guard case .ready = self.phase else {
            return .failure(RPCError(.unavailable, "the connection to \(self.label) takes no new calls", outcome: .notExecuted))
        }
        let streamID = self.nextStreamID
        guard streamID <= WireProtocol.maxStreamID else {
            self.phase = .draining(lastStreamID: streamID - 2)
            return .failure(RPCError(.unavailable, "stream ids exhausted on this connection", outcome: .notExecuted))
        }
        var fields = fields
        fields.timeoutMicros = Self.micros(until: deadline)
        do {
            let frames = try Self.requestFrames(streamID, fields, request, server: self.server.limits)
            self.nextStreamID += 2
            self.calls[streamID] = OpenCall(deadline: deadline)
            return .success((streamID, frames))
        } catch {
            return .failure(error)
        }
    }

    /// The caller gave up on a call: the CANCEL to send, if the call is still open.
    mutating func cancel(_ streamID: UInt32, _ reason: CancelReason) -> Frame? {
        guard self.calls.removeValue(forKey: streamID) != nil else { return nil }
        if case .closed = self.phase { return nil }
        return .cancel(streamID: streamID, reason: reason)
    }

    /// Calls whose deadline has passed (they are forgotten: the caller is told, the server gets
    /// CANCEL), and the earliest deadline left.
    mutating func expire(now: ContinuousClock.Instant) -> (expired: [UInt32], next: ContinuousClock.Instant?) {
        var expired: [UInt32] = []
        for (streamID, call) in self.calls where call.deadline <= now {
            self.calls[streamID] = nil
            expired.append(streamID)
        }
        return (expired, self.calls.values.lazy.map(\.deadline).min())
    }

    /// Takes no new calls; returns whether the connection can close now (no call open).
    mutating func closeWhenIdle() -> Bool {
        if case .ready = self.phase { self.phase = .draining(lastStreamID: self.nextStreamID) }
        return self.calls.isEmpty
    }

    /// The connection closed: every call still open.
    mutating func closed() -> [UInt32] {
        self.phase = .closed
        defer { self.calls = [:] }
        return Array(self.calls.keys)
    }

    /// Whether keep-alive should ping now: calls open and nothing read for `interval`.
    func needsPing(now: ContinuousClock.Instant, interval: Duration) -> Bool {
        !self.calls.isEmpty && now - self.lastRead >= interval
    }

    // MARK: Frames

    mutating func receive(_ frame: Frame, now: ContinuousClock.Instant) -> ReceiveAction {
        self.lastRead = now
        do {
            return try self.handle(frame)
        } catch let error as RPCError {
            return .fail(error)
        } catch {
            return .fail(RPCError(.unavailable, "protocol error on the connection to \(self.label): \(error)", outcome: .unknown))
        }
    }

    private mutating func handle(_ frame: Frame) throws -> ReceiveAction {
        if case .handshaking = self.phase { return try self.handshake(frame) }
        switch frame.type {
        case .message:
            try self.requireOpened(frame.streamID)
            return self.calls[frame.streamID] == nil ? .none : .message(frame.streamID, frame)
        case .end:
            guard frame.ext.readableBytes <= Int(self.configuration.limits.maxMetadataSize) else {
                throw WireError(.protocolError, "END metadata of \(frame.ext.readableBytes) bytes exceeds the limit of \(self.configuration.limits.maxMetadataSize)")
            }
            try self.requireOpened(frame.streamID)
            let body: EndBody
            do { body = try frame.endBody() } catch { throw WireError(.protocolError, error.message) }
            guard self.calls.removeValue(forKey: frame.streamID) != nil else { return .none }
            return .end(frame.streamID, body)
        case .ping:
            return frame.flags.contains(.ack) ? .none : .send(.ping(frame.pingData(), ack: true))
        case .drain:
            let body: DrainBody
            do { body = try frame.drainBody() } catch { throw WireError(.protocolError, error.message) }
            self.phase = .draining(lastStreamID: body.lastStreamID)
            let refused = self.calls.keys.filter { $0 > body.lastStreamID }
            for streamID in refused { self.calls[streamID] = nil }
            return .drained(refused: refused)
        case .connectionError:
            let body = frame.connectionErrorBody()
            throw RPCError(.unavailable, "\(self.label) closed the connection: \(body.code): \(body.text)", outcome: .unknown)
        default:
            throw WireError(.protocolError, "\(frame.type) is not sent by servers")
        }
    }

    private mutating func handshake(_ frame: Frame) throws -> ReceiveAction {
        switch frame.type {
        case .hello:
            let hello = try HelloFields.parse(frame.ext)
            guard hello.version.major == self.configuration.protocolVersion.major else {
                throw RPCError(
                    .unavailable,
                    "\(hello.peerName) speaks protocol \(hello.version), this client \(self.configuration.protocolVersion)",
                    outcome: .notExecuted)
            }
            try hello.limits.validate()
            self.server = hello
            self.phase = .ready
            return .ready(hello)
        case .connectionError:
            let body = frame.connectionErrorBody()
            throw RPCError(.unavailable, "\(self.label) refused the connection: \(body.code): \(body.text)", outcome: .notExecuted)
        default:
            throw WireError(.protocolError, "expected HELLO, got \(frame.type)")
        }
    }

    private func requireOpened(_ streamID: UInt32) throws(WireError) {
        guard streamID < self.nextStreamID else {
            throw WireError(.protocolError, "frame on stream \(streamID), which was never opened")
        }
    }

    // MARK: Helpers

    static func micros(until deadline: ContinuousClock.Instant) -> UInt64 {
        let left = deadline - .now
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        return UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
    }

    /// A request as frames: its CALL and the MESSAGE fragments of a request too large for one
    /// frame (none for most, so no array is made).
    struct RequestFrames {
        /// The CALL frame: its fields (encoded by the connection straight into what it writes),
        /// its flags and the request's first part.
        var fields: CallFields
        var callFlags: FrameFlags
        var payload: ByteBuffer
        var fragments: [Frame] = []
    }

    /// The CALL frame and any MESSAGE fragments, each within the server's frame size.
    static func requestFrames(_ streamID: UInt32, _ fields: CallFields, _ request: ByteBuffer, server: WireLimits) throws(RPCError) -> RequestFrames {
        guard request.readableBytes <= Int(server.maxMessageSize) else {
            throw RPCError(.resourceExhausted, "request of \(request.readableBytes) bytes exceeds the server's limit of \(server.maxMessageSize)", outcome: .notExecuted)
        }
        let extLength = fields.encodedSize
        // The ext block cannot be fragmented: it must fit in one frame too (WIRE.md §5.2).
        let metadataLimit = min(Int(server.maxMetadataSize), Int(server.maxFrameSize))
        guard extLength <= metadataLimit else {
            throw RPCError(.resourceExhausted, "call metadata of \(extLength) bytes exceeds the server's limit of \(metadataLimit)", outcome: .notExecuted)
        }
        let firstSize = min(request.readableBytes, Int(server.maxFrameSize) - extLength)
        if firstSize == request.readableBytes {
            return RequestFrames(fields: fields, callFlags: .endStream, payload: request)
        }
        var remaining = request
        let first = remaining.readSlice(length: firstSize)!
        var frames = RequestFrames(fields: fields, callFlags: .more, payload: first)
        while remaining.readableBytes > 0 {
            let chunk = remaining.readSlice(length: min(remaining.readableBytes, Int(server.maxFrameSize)))!
            frames.fragments.append(.message(streamID: streamID, payload: chunk, flags: remaining.readableBytes > 0 ? .more : .endStream))
        }
        return frames
    }
}
