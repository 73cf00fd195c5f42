import AftercareWire
import Logging
import NIOCore
import Synchronization

/// The server side of one connection: the HELLO exchange, the calls multiplexed on it, flow
/// control, cancellation, deadlines and drain (WIRE.md §2, §6–§10).
final class ServerConnection: Sendable {
    let runtime: ServerRuntime
    let connection: FrameConnection
    let state = Mutex(State())
    let logger: Logger
    /// The peer's principals, and as text for spans: computed once per connection.
    let principals: Set<String>
    let caller: String
    let drainRequests: AsyncStream<Void>
    private let drainContinuation: AsyncStream<Void>.Continuation
    /// Cancels calls whose deadline has passed (granularity 50 ms; the client's own deadline,
    /// and its CANCEL, are exact).
    let deadlines = DeadlineSweeper(granularity: .milliseconds(50))

    init(runtime: ServerRuntime, connection: FrameConnection) {
        self.runtime = runtime
        self.connection = connection
        var logger = runtime.logger
        logger[metadataKey: "rpc.connection"] = "\(connection.label)"
        logger[metadataKey: "rpc.peer"] = "\(connection.peer)"
        self.logger = logger
        self.principals = connection.peer.principals
        self.caller = connection.peer.description
        (self.drainRequests, self.drainContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the connection to drain: DRAIN, let accepted calls finish, close.
    func beginDrain() {
        self.drainContinuation.yield()
    }

    /// Serves the connection until it closes, then stops every call still running.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.closeIfNoHello() }
            group.addTask { await self.drainWhenAsked() }
            group.addTask { await self.sweepDeadlines() }
            do {
                try await self.readLoop()
            } catch let error as WireError {
                self.logger.info("closing connection: \(error)")
                await self.fail(error)
            } catch {
                self.logger.debug("connection ended: \(error)")
            }
            self.drainContinuation.finish()
            self.deadlines.finish()
            self.stop(self.state.withLock { state in
                state.phase = .closed
                return state.stopAll(.connectionClosed)
            })
            await self.state.waitUntilIdle()
            await self.connection.outbound.close()
            group.cancelAll()
        }
    }

    // MARK: Reading

    private func readLoop() async throws {
        for try await frame in self.connection.inbound {
            switch frame.type {
            case .hello:
                try await self.handleHello(frame)
            case _ where self.state.withLock({ if case .awaitingHello = $0.phase { true } else { false } }):
                throw WireError(.protocolError, "expected HELLO, got \(frame.type)")
            case .call:
                try await self.handleCall(frame)
            case .message:
                try await self.handleFragment(frame)
            case .cancel:
                try self.handleCancel(frame)
            case .credit:
                try self.handleCredit(frame)
            case .ping:
                if !frame.flags.contains(.ack) {
                    try await self.send(.ping(frame.pingData(), ack: true))
                }
            case .connectionError:
                let body = frame.connectionErrorBody()
                self.logger.info("peer closed the connection: \(body.code): \(body.text)")
                return
            default:
                throw WireError(.protocolError, "\(frame.type) is not sent by clients")
            }
        }
    }

    private func handleHello(_ frame: Frame) async throws {
        let alreadyGreeted = self.state.withLock { state in
            if case .awaitingHello = state.phase { return false }
            return true
        }
        guard !alreadyGreeted else { throw WireError(.protocolError, "a second HELLO") }
        let hello = try HelloFields.parse(frame.ext)
        let configuration = self.runtime.configuration
        let version = try HelloNegotiation.acceptClient(hello, serverName: configuration.name)
        if let allowed = configuration.allowedPeerUIDs, let uid = self.connection.peer.uid, !allowed.contains(uid) {
            throw WireError(.peerNotAllowed, "uid \(uid) may not connect to \(configuration.name)")
        }
        self.state.withLock { state in
            state.peerLimits = hello.limits
            state.phase = .ready
        }
        self.logger.debug("HELLO from \(hello.peerName) \(hello.build), speaking protocol \(version)")
        try await self.send(.hello(HelloFields(limits: configuration.limits, peerName: configuration.name, build: configuration.build)))
    }

    private func handleCall(_ frame: Frame) async throws {
        let streamID = frame.streamID
        let draining = try self.state.withLock { state throws(WireError) -> Bool in
            guard streamID % 2 == 1, streamID > state.highestStreamID else {
                throw WireError(.protocolError, "CALL stream id \(streamID) is not odd and above \(state.highestStreamID)")
            }
            state.highestStreamID = streamID
            return state.isDraining
        }
        guard frame.flags.contains(.endStream) != frame.flags.contains(.more) else {
            throw WireError(.protocolError, "CALL \(streamID) must carry exactly one of END_STREAM and MORE")
        }
        if draining {
            return try await self.reject(streamID, .unavailable, "\(self.runtime.configuration.name) is draining")
        }
        let limits = self.runtime.configuration.limits
        guard frame.ext.readableBytes <= Int(limits.maxMetadataSize) else {
            return try await self.reject(
                streamID, .resourceExhausted,
                "call metadata of \(frame.ext.readableBytes) bytes exceeds the limit of \(limits.maxMetadataSize)"
            )
        }
        let fields: CallFields
        do {
            fields = try CallFields.parse(frame.ext)
        } catch {
            return try await self.reject(streamID, .invalidArgument, error.message)
        }
        let request = PendingRequest(fields: fields, extSize: frame.ext.readableBytes, payload: frame.payload, receivedAt: .now)
        if frame.flags.contains(.more) {
            guard request.payload.readableBytes <= Int(limits.maxMessageSize) else {
                return try await self.reject(streamID, .resourceExhausted, self.tooLarge(request.payload.readableBytes))
            }
            // Requests still arriving count against the concurrency limit, so fragments cannot pile up.
            let admitted = self.state.withLock { state in
                guard state.calls.count + state.pending.count < Int(limits.maxConcurrentCalls) else { return false }
                state.pending[streamID] = request
                return true
            }
            guard admitted else {
                return try await self.reject(
                    streamID, .resourceExhausted, "too many concurrent calls on this connection (limit \(limits.maxConcurrentCalls))",
                    retryAfter: self.runtime.configuration.overloadRetryHint)
            }
        } else {
            try await self.start(streamID, request)
        }
    }

    private func handleFragment(_ frame: Frame) async throws {
        let streamID = frame.streamID
        enum Next { case ignore, wait, reject(Int), start(PendingRequest) }
        let maxMessage = Int(self.runtime.configuration.limits.maxMessageSize)
        guard !(frame.flags.contains(.more) && frame.flags.contains(.endStream)) else {
            throw WireError(.protocolError, "MESSAGE \(streamID) carries both MORE and END_STREAM")
        }
        let next = try self.state.withLock { state throws(WireError) -> Next in
            guard var request = state.pending.removeValue(forKey: streamID) else {
                guard state.wasOpened(streamID) else {
                    throw WireError(.protocolError, "MESSAGE on stream \(streamID), which was never opened")
                }
                return .ignore
            }
            var fragment = frame.payload
            request.payload.writeBuffer(&fragment)
            if request.payload.readableBytes > maxMessage { return .reject(request.payload.readableBytes) }
            if frame.flags.contains(.more) {
                state.pending[streamID] = request
                return .wait
            }
            return .start(request)
        }
        switch next {
        case .ignore, .wait:
            return
        case .reject(let size):
            try await self.reject(streamID, .resourceExhausted, self.tooLarge(size))
        case .start(let request):
            guard frame.flags.contains(.endStream) else {
                throw WireError(.protocolError, "the last fragment of stream \(streamID) lacks END_STREAM")
            }
            try await self.start(streamID, request)
        }
    }

    private func handleCancel(_ frame: Frame) throws {
        let reason = try Self.wire { () throws(FieldError) in try frame.cancelReason() }
        self.stop(try self.state.withLock { state throws(WireError) -> [(Task<Void, Never>?, CreditGate)] in
            guard state.wasOpened(frame.streamID) else {
                throw WireError(.protocolError, "CANCEL on stream \(frame.streamID), which was never opened")
            }
            state.pending[frame.streamID] = nil
            guard let call = state.calls[frame.streamID], call.stopReason == nil else { return [] }
            state.calls[frame.streamID]?.stopReason = reason == .deadlineExceeded ? .deadlineExceeded : .cancelledByCaller
            return [(call.task, call.gate)]
        })
    }

    private func handleCredit(_ frame: Frame) throws {
        let increment = try Self.wire { () throws(FieldError) in try frame.creditIncrement() }
        let gate = try self.state.withLock { state throws(WireError) -> CreditGate? in
            guard state.wasOpened(frame.streamID) else {
                throw WireError(.protocolError, "CREDIT on stream \(frame.streamID), which was never opened")
            }
            return state.calls[frame.streamID]?.gate
        }
        gate?.grant(increment)
    }

    // MARK: Writing

    func send(_ frame: Frame) async throws {
        try await self.connection.outbound.write(contentsOf: [frame])
    }

    /// Sends one response message of a streaming call.
    func sendMessage(_ streamID: UInt32, _ message: ByteBuffer, limits: WireLimits) async throws {
        try await self.connection.outbound.write(contentsOf: self.messageFrames(streamID, message, limits: limits))
    }

    /// A response message as MESSAGE frames that fit the client's frame size.
    func messageFrames(_ streamID: UInt32, _ message: ByteBuffer, limits: WireLimits) throws(RPCError) -> [Frame] {
        guard message.readableBytes <= Int(limits.maxMessageSize) else {
            throw RPCError(.internal, "response of \(message.readableBytes) bytes exceeds the client's limit of \(limits.maxMessageSize)")
        }
        var remaining = message
        var frames: [Frame] = []
        repeat {
            let chunk = remaining.readSlice(length: min(remaining.readableBytes, Int(limits.maxFrameSize)))!
            frames.append(.message(streamID: streamID, payload: chunk, flags: remaining.readableBytes > 0 ? .more : []))
        } while remaining.readableBytes > 0
        return frames
    }

    /// Answers a call that will not run: END with outcome not executed (WIRE.md §6.3).
    func reject(_ streamID: UInt32, _ code: RPCError.Code, _ message: String, retryAfter: Duration? = nil) async throws {
        self.logger.debug("refused call \(streamID): \(code): \(message)")
        let body = EndBody(
            status: code.rawValue,
            outcome: CallOutcome.notExecuted.rawValue,
            retryAfterMs: retryAfter.map(Self.milliseconds) ?? WireProtocol.noRetryHint,
            message: message
        )
        try await self.send(.end(streamID: streamID, body))
    }

    /// Sends CONN_ERROR for a protocol violation; `run` then closes the connection.
    func fail(_ error: WireError) async {
        try? await self.send(.connectionError(ConnectionErrorBody(code: error.code, text: error.message)))
    }

    // MARK: Helpers

    /// Ends calls marked stopped: closes their flow-control windows and cancels their handlers.
    func stop(_ calls: [(Task<Void, Never>?, CreditGate)]) {
        for (task, gate) in calls {
            gate.close()
            task?.cancel()
        }
    }

    func tooLarge(_ size: Int) -> String {
        "request of \(size) bytes exceeds the limit of \(self.runtime.configuration.limits.maxMessageSize)"
    }

    static func milliseconds(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        return UInt32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }

    /// A frame body error in a frame that must be well-formed is a protocol error.
    static func wire<T>(_ body: () throws(FieldError) -> T) throws(WireError) -> T {
        do {
            return try body()
        } catch {
            throw WireError(.protocolError, error.message)
        }
    }
}
