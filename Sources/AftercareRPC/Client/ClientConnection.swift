import AftercareWire
import Logging
import NIOCore
import Synchronization

/// The client side of one connection: HELLO, then calls multiplexed by stream id (WIRE.md §2, §6).
final class ClientConnection: Sendable {
    private struct State: CallTracking {
        enum Phase {
            case handshaking
            case ready
            case draining(lastStreamID: UInt32)
            case closed(RPCError)
        }

        var phase = Phase.handshaking
        var nextStreamID: UInt32 = 1
        var calls: [UInt32: OpenCall] = [:]
        var server = HelloFields(peerName: "", build: "")
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        /// When a frame was last read, for keep-alive.
        var lastRead = ContinuousClock.now

        var hasOpenCalls: Bool { !self.calls.isEmpty }
    }

    private let frames: FrameConnection
    private let configuration: RPCClient.Configuration
    private let logger: Logger
    private let state = Mutex(State())
    /// Every outbound frame goes through this queue, so frames leave in the order they were
    /// queued: CALLs in stream-id order, as WIRE.md §3.1 requires.
    private let outbox: AsyncStream<[Frame]>
    private let outboxContinuation: AsyncStream<[Frame]>.Continuation
    /// Ends calls whose deadline has passed.
    private let deadlines = DeadlineSweeper(granularity: .milliseconds(20))

    init(frames: FrameConnection, configuration: RPCClient.Configuration, logger: Logger) {
        self.frames = frames
        self.configuration = configuration
        self.logger = logger
        (self.outbox, self.outboxContinuation) = AsyncStream.makeStream()
    }

    /// The server's HELLO, once the connection is ready.
    var server: HelloFields { self.state.withLock { $0.server } }

    /// Whether new calls may start on this connection.
    var acceptsCalls: Bool {
        self.state.withLock { if case .ready = $0.phase { true } else { false } }
    }

    // MARK: Reading

    /// Sends HELLO, waits for the server's, calls `onReady`, then reads frames until the connection
    /// ends. Every call still open then fails.
    func run(onReady: @Sendable () -> Void, onUnusable: @Sendable () -> Void) async throws {
        defer { onUnusable() }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                defer {
                    self.outboxContinuation.finish()
                    self.deadlines.finish()
                }
                group.addTask { await self.writeQueuedFrames() }
                group.addTask { try await self.closeIfNotReady() }
                self.send([.hello(self.configuration.hello)])
                var inbound = self.frames.inbound.makeAsyncIterator()
                try await self.handshake(&inbound)
                onReady()
                group.addTask { try await self.keepAlive() }
                group.addTask { await self.sweepDeadlines() }
                while let frame = try await inbound.next() {
                    self.state.withLock { $0.lastRead = .now }
                    if try await self.handle(frame) { onUnusable() }
                }
                throw RPCError(.unavailable, "\(self.frames.label) closed the connection", outcome: .unknown)
            }
        } catch {
            let failure = Self.connectionFailure(error, target: self.frames.label)
            self.close(failure)
            throw failure
        }
    }

    /// Queues frames for the connection, after everything queued before.
    func send(_ frames: [Frame]) {
        self.outboxContinuation.yield(frames)
    }

    /// Writes queued frames in order until the queue ends; a failed write closes the connection.
    private func writeQueuedFrames() async {
        for await frames in self.outbox {
            do {
                try await self.frames.outbound.write(contentsOf: frames)
            } catch {
                self.logger.debug("write to \(self.frames.label) failed: \(error)")
                await self.frames.outbound.close()
                return
            }
        }
    }

    private func handshake(_ inbound: inout any AsyncIteratorProtocol<Frame, any Error>) async throws {
        guard let first = try await inbound.next() else {
            throw RPCError(.unavailable, "\(self.frames.label) closed the connection before its HELLO", outcome: .notExecuted)
        }
        switch first.type {
        case .hello:
            let hello = try HelloFields.parse(first.ext)
            guard hello.version.major == self.configuration.protocolVersion.major else {
                throw RPCError(
                    .unavailable,
                    "\(hello.peerName) speaks protocol \(hello.version), this client \(self.configuration.protocolVersion)",
                    outcome: .notExecuted
                )
            }
            try hello.limits.validate()
            self.state.withLock { state in
                state.server = hello
                state.phase = .ready
            }
        case .connectionError:
            let body = first.connectionErrorBody()
            throw RPCError(.unavailable, "\(self.frames.label) refused the connection: \(body.code): \(body.text)", outcome: .notExecuted)
        default:
            throw WireError(.protocolError, "expected HELLO, got \(first.type)")
        }
    }

    /// Handles one frame; returns `true` when the connection stops taking new calls.
    private func handle(_ frame: Frame) async throws -> Bool {
        switch frame.type {
        case .message:
            guard let inbox = try self.inbox(for: frame.streamID) else { return false }
            if let error = inbox.deliver(message: frame) {
                inbox.fail(error)
                self.send([.cancel(streamID: frame.streamID, reason: .cancelledByCaller)])
            }
        case .end:
            guard frame.ext.readableBytes <= Int(self.configuration.limits.maxMetadataSize) else {
                throw WireError(.protocolError, "END metadata of \(frame.ext.readableBytes) bytes exceeds the limit of \(self.configuration.limits.maxMetadataSize)")
            }
            guard let inbox = try self.inbox(for: frame.streamID) else { return false }
            do {
                inbox.deliver(end: try frame.endBody())
            } catch {
                throw WireError(.protocolError, error.message)
            }
        case .ping:
            if !frame.flags.contains(.ack) {
                self.send([.ping(frame.pingData(), ack: true)])
            }
        case .drain:
            let body: DrainBody
            do { body = try frame.drainBody() } catch { throw WireError(.protocolError, error.message) }
            self.drain(body)
            return true
        case .connectionError:
            let body = frame.connectionErrorBody()
            throw RPCError(.unavailable, "\(self.frames.label) closed the connection: \(body.code): \(body.text)", outcome: .unknown)
        default:
            throw WireError(.protocolError, "\(frame.type) is not sent by servers")
        }
        return false
    }

    private func inbox(for streamID: UInt32) throws(WireError) -> CallInbox? {
        try self.state.withLock { state throws(WireError) in
            guard streamID < state.nextStreamID else {
                throw WireError(.protocolError, "frame on stream \(streamID), which was never opened")
            }
            return state.calls[streamID]?.inbox
        }
    }

    private func drain(_ body: DrainBody) {
        let refused = self.state.withLock { state -> [CallInbox] in
            state.phase = .draining(lastStreamID: body.lastStreamID)
            return state.calls.filter { $0.key > body.lastStreamID }.map(\.value.inbox)
        }
        self.logger.debug("server is draining; last accepted call \(body.lastStreamID)")
        for inbox in refused {
            inbox.fail(RPCError(.unavailable, "\(self.frames.label) is draining and did not accept the call", outcome: .notExecuted))
        }
    }

    /// Closes the connection if the server's HELLO has not come within the connect timeout.
    private func closeIfNotReady() async throws {
        try await Task.sleep(for: self.configuration.connectTimeout)
        if case .handshaking = self.state.withLock({ $0.phase }) {
            self.logger.info("no HELLO from \(self.frames.label) within \(self.configuration.connectTimeout)")
            await self.frames.outbound.close()
        }
    }

    /// Pings a connection that has calls open and has been quiet for the keep-alive interval; closes
    /// it when the PING goes unanswered (WIRE.md §9.3).
    private func keepAlive() async throws {
        let interval = self.configuration.keepaliveInterval
        var pings: UInt64 = 0
        while true {
            try await Task.sleep(for: interval)
            let (quiet, busy) = self.state.withLock { (ContinuousClock.now - $0.lastRead >= interval, !$0.calls.isEmpty) }
            guard quiet, busy else { continue }
            pings += 1
            let sent = ContinuousClock.now
            self.send([.ping(pings)])
            try await Task.sleep(for: self.configuration.keepaliveTimeout)
            if self.state.withLock({ $0.lastRead < sent }) {
                self.logger.info("no answer to PING from \(self.frames.label) within \(self.configuration.keepaliveTimeout); closing")
                await self.frames.outbound.close()
                return
            }
        }
    }

    /// Ends calls whose deadline has passed: the caller gets DEADLINE_EXCEEDED (outcome unknown)
    /// and the server a CANCEL.
    private func sweepDeadlines() async {
        await self.deadlines.run {
            self.state.withLock { $0.calls.values.lazy.filter { !$0.expired }.map(\.deadline).min() }
        } expire: { now in
            let expired = self.state.withLock { state in
                state.calls.filter { $0.value.deadline <= now && !$0.value.expired }.map { id, call in
                    state.calls[id]?.expired = true
                    return (id, call.inbox)
                }
            }
            for (streamID, inbox) in expired {
                inbox.fail(RPCError(.deadlineExceeded, "the call did not finish within its deadline", outcome: .unknown))
                self.send([.cancel(streamID: streamID, reason: .deadlineExceeded)])
            }
        }
    }

    // MARK: Calls

    /// Opens a call, queues the request, and runs `body` with the call's responses. When
    /// `deadline` passes, the deadline sweeper ends the call and tells the server.
    func call<R: Sendable>(
        _ fields: CallFields,
        _ request: ByteBuffer,
        deadline: ContinuousClock.Instant,
        _ body: @Sendable (ClientCallStream) async throws -> R
    ) async throws -> R {
        let (streamID, inbox) = try self.open(fields, request, deadline: deadline)
        defer { self.forget(streamID) }
        let window = self.configuration.limits.initialStreamWindow
        return try await body(ClientCallStream(streamID: streamID, inbox: inbox, window: window) { self.send($0) })
    }

    /// Allocates the next stream id and queues the request under one lock, so CALLs leave in
    /// stream-id order.
    private func open(_ fields: CallFields, _ request: ByteBuffer, deadline: ContinuousClock.Instant) throws(RPCError) -> (UInt32, CallInbox) {
        try self.state.withLock { state throws(RPCError) in
            guard case .ready = state.phase else {
                throw RPCError(.unavailable, "the connection to \(self.frames.label) takes no new calls", outcome: .notExecuted)
            }
            let streamID = state.nextStreamID
            guard streamID <= WireProtocol.maxStreamID else {
                state.phase = .draining(lastStreamID: streamID - 2)
                throw RPCError(.unavailable, "stream ids exhausted on this connection", outcome: .notExecuted)
            }
            let frames = try self.requestFrames(streamID, fields, request, server: state.server.limits)
            state.nextStreamID += 2
            let inbox = CallInbox(maxMessageSize: self.configuration.limits.maxMessageSize)
            state.calls[streamID] = OpenCall(inbox: inbox, deadline: deadline)
            self.deadlines.callStarted()
            self.send(frames)
            return (streamID, inbox)
        }
    }

    private func forget(_ streamID: UInt32) {
        let waiters = self.state.withLock { state in
            state.calls[streamID] = nil
            return state.takeIdleWaiters()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The CALL frame and any MESSAGE fragments, each within the server's frame size.
    private func requestFrames(_ streamID: UInt32, _ fields: CallFields, _ request: ByteBuffer, server: WireLimits) throws(RPCError) -> [Frame] {
        guard request.readableBytes <= Int(server.maxMessageSize) else {
            throw RPCError(.resourceExhausted, "request of \(request.readableBytes) bytes exceeds the server's limit of \(server.maxMessageSize)", outcome: .notExecuted)
        }
        var ext = ByteBuffer()
        fields.write(to: &ext)
        // The ext block cannot be fragmented: it must fit in one frame too (WIRE.md §5.2).
        let metadataLimit = min(Int(server.maxMetadataSize), Int(server.maxFrameSize))
        guard ext.readableBytes <= metadataLimit else {
            throw RPCError(.resourceExhausted, "call metadata of \(ext.readableBytes) bytes exceeds the server's limit of \(metadataLimit)", outcome: .notExecuted)
        }
        var remaining = request
        let firstSize = min(remaining.readableBytes, Int(server.maxFrameSize) - ext.readableBytes)
        let first = remaining.readSlice(length: firstSize)!
        var frames = [Frame(type: .call, flags: remaining.readableBytes > 0 ? .more : .endStream, streamID: streamID, ext: ext, payload: first)]
        while remaining.readableBytes > 0 {
            let chunk = remaining.readSlice(length: min(remaining.readableBytes, Int(server.maxFrameSize)))!
            frames.append(.message(streamID: streamID, payload: chunk, flags: remaining.readableBytes > 0 ? .more : .endStream))
        }
        return frames
    }

    // MARK: Closing

    /// Fails every open call and marks the connection closed.
    private func close(_ error: RPCError) {
        let inboxes = self.state.withLock { state -> [CallInbox] in
            if case .closed = state.phase { return [] }
            state.phase = .closed(error)
            return state.calls.values.map(\.inbox)
        }
        let lost = RPCError(.unavailable, error.message, outcome: .unknown)
        for inbox in inboxes { inbox.fail(lost) }
    }

    /// Takes no new calls, waits for open ones to end, then closes.
    func closeWhenIdle() async {
        self.state.withLock { state in
            if case .ready = state.phase { state.phase = .draining(lastStreamID: state.nextStreamID) }
        }
        await self.state.waitUntilIdle()
        self.outboxContinuation.finish()
        await self.frames.outbound.close()
    }

    private static func connectionFailure(_ error: any Error, target: String) -> RPCError {
        switch error {
        case let error as RPCError:
            error
        case let error as WireError:
            RPCError(.unavailable, "protocol error on the connection to \(target): \(error)", outcome: .unknown)
        default:
            RPCError(.unavailable, "the connection to \(target) failed: \(error)", outcome: .unknown)
        }
    }
}

/// A call open on a client connection.
struct OpenCall {
    var inbox: CallInbox
    var deadline: ContinuousClock.Instant
    /// Whether the deadline sweeper has ended it.
    var expired = false
}
