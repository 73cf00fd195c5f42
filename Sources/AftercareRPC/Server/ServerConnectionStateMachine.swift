import AftercareWire
import NIOCore

/// The server side of one connection's protocol (WIRE.md §2, §6–§11) as a state machine: each
/// input — a decoded frame, a call that finished, a timer, a drain — returns what to do. It owns no
/// tasks, sockets or timers; ``ServerConnectionHandler`` carries its actions out on the event loop,
/// and tests drive it directly.
struct ServerConnectionStateMachine {
    /// What the machine knows of the server: limits, routes, and the counters it shares with the
    /// server's other connections.
    struct Configuration {
        var name: String
        var build: String
        var limits: WireLimits
        var routes: [String: RPCRouter.Route]
        var defaultTimeout: Duration
        var overloadRetryHint: Duration
        var allowedPeerUIDs: Set<UInt32>?
        /// Bytes of requests still arriving in fragments that one connection may hold.
        var maxBufferedRequestBytes: Int
        /// PINGs a client may send in any one second (WIRE.md §9.3).
        var maxPingsPerSecond: Int
        /// Calls running across the server: taken here when a call starts, given back by the call's
        /// task once its span is recorded.
        var limiter: CallLimiter
        /// Bytes of requests still arriving across the server.
        var requestMemory: RequestMemory
        /// Where refused calls are counted.
        var metrics: ServerMetrics
    }

    /// Why a running call was stopped from outside its handler.
    enum StopReason: UInt8, Sendable {
        case cancelledByCaller = 1
        case deadlineExceeded
        case shutdown
        case connectionClosed
        /// A stream that follows until cancelled, ended when the drain began.
        case drained
    }

    /// A call admitted to run: everything its handler needs.
    struct StartedCall: Sendable {
        var streamID: UInt32
        var route: RPCRouter.Route
        var fields: CallFields
        var request: ByteBuffer
        var receivedAt: ContinuousClock.Instant
        var deadline: ContinuousClock.Instant
        /// The client's limits, which bound the responses.
        var clientLimits: WireLimits
    }

    /// What to do after a frame.
    enum ReceiveAction {
        case none
        case send(Frame)
        /// HELLO accepted: send the server's HELLO; the connection is authenticated.
        case accepted(Frame)
        case start(StartedCall)
        case stop(UInt32, StopReason)
        case grant(UInt32, UInt32)
        /// Send CONN_ERROR and close.
        case fail(WireError)
        /// The peer closed with CONN_ERROR: close.
        case close
    }

    enum Phase {
        case awaitingHello
        case ready
        case draining(lastStreamID: UInt32)
        case closed
    }

    /// A request still arriving in fragments, admitted at its CALL.
    struct Receiving {
        var route: RPCRouter.Route
        var fields: CallFields
        var request: ByteBuffer
        var receivedAt: ContinuousClock.Instant
        var deadline: ContinuousClock.Instant
    }

    /// A call whose handler runs.
    struct Running {
        var deadline: ContinuousClock.Instant
        var followsUntilCancelled: Bool
        var stopReason: StopReason?
    }

    let configuration: Configuration
    private(set) var phase = Phase.awaitingHello
    /// The highest call id the client has used.
    private(set) var highestStreamID: UInt32 = 0
    private(set) var receiving: [UInt32: Receiving] = [:]
    private(set) var running: [UInt32: Running] = [:]
    /// The client's limits, from its HELLO.
    private(set) var clientLimits = WireLimits.defaults
    /// The peer's principals, once the transport authenticated it.
    private(set) var peer: PeerIdentity
    private var principals: Set<String>
    private var bufferedBytes = 0
    private var pingWindow: (start: ContinuousClock.Instant, count: Int)?

    init(configuration: Configuration, peer: PeerIdentity) {
        self.configuration = configuration
        self.peer = peer
        self.principals = peer.principals
    }

    /// The peer as the transport learnt it after the connection began (a TLS certificate).
    mutating func identified(_ peer: PeerIdentity) {
        self.peer = peer
        self.principals = peer.principals
    }

    var isAwaitingHello: Bool {
        if case .awaitingHello = self.phase { return true }
        return false
    }

    var isDraining: Bool {
        if case .draining = self.phase { return true }
        return false
    }

    var hasCalls: Bool { !self.running.isEmpty || !self.receiving.isEmpty }

    // MARK: Frames

    mutating func receive(_ frame: Frame, now: ContinuousClock.Instant) -> ReceiveAction {
        do {
            return try self.handle(frame, now: now)
        } catch {
            return .fail(error)
        }
    }

    private mutating func handle(_ frame: Frame, now: ContinuousClock.Instant) throws(WireError) -> ReceiveAction {
        if case .closed = self.phase { return .none }
        switch frame.type {
        case .hello:
            return try self.hello(frame)
        case _ where self.isAwaitingHello:
            throw WireError(.protocolError, "expected HELLO, got \(frame.type)")
        case .call:
            return try self.call(frame, now: now)
        case .message:
            return try self.fragment(frame, now: now)
        case .cancel:
            let reason = try Self.wire { () throws(FieldError) in try frame.cancelReason() }
            return try self.cancel(frame.streamID, reason)
        case .credit:
            let increment = try Self.wire { () throws(FieldError) in try frame.creditIncrement() }
            try self.requireOpened(frame.streamID, "CREDIT")
            return self.running[frame.streamID] != nil ? .grant(frame.streamID, increment) : .none
        case .ping:
            guard !frame.flags.contains(.ack) else { return .none }
            try self.countPing(now: now)
            return .send(.ping(frame.pingData(), ack: true))
        case .connectionError:
            return .close
        default:
            throw WireError(.protocolError, "\(frame.type) is not sent by clients")
        }
    }

    private mutating func hello(_ frame: Frame) throws(WireError) -> ReceiveAction {
        guard self.isAwaitingHello else { throw WireError(.protocolError, "a second HELLO") }
        let hello = try HelloFields.parse(frame.ext)
        _ = try HelloNegotiation.acceptClient(hello, serverName: self.configuration.name)
        if let allowed = self.configuration.allowedPeerUIDs, let uid = self.peer.uid, !allowed.contains(uid) {
            throw WireError(.peerNotAllowed, "uid \(uid) may not connect to \(self.configuration.name)")
        }
        self.clientLimits = hello.limits
        self.phase = .ready
        let limits = self.configuration.limits
        return .accepted(.hello(HelloFields(limits: limits, peerName: self.configuration.name, build: self.configuration.build)))
    }

    /// WIRE.md §6.3's checks, all made when the CALL arrives: a call that will not run is answered
    /// before any fragment of its request is kept.
    private mutating func call(_ frame: Frame, now: ContinuousClock.Instant) throws(WireError) -> ReceiveAction {
        let streamID = frame.streamID
        guard streamID % 2 == 1, streamID > self.highestStreamID else {
            throw WireError(.protocolError, "CALL stream id \(streamID) is not odd and above \(self.highestStreamID)")
        }
        guard frame.flags.contains(.endStream) != frame.flags.contains(.more) else {
            throw WireError(.protocolError, "CALL \(streamID) must carry exactly one of END_STREAM and MORE")
        }
        self.highestStreamID = streamID
        let configuration = self.configuration
        let limits = configuration.limits
        if self.isDraining {
            return self.refuse(streamID, .unavailable, "\(configuration.name) is draining")
        }
        guard frame.ext.readableBytes <= Int(limits.maxMetadataSize) else {
            return self.refuse(streamID, .resourceExhausted, "call metadata of \(frame.ext.readableBytes) bytes exceeds the limit of \(limits.maxMetadataSize)")
        }
        let fields: CallFields
        do {
            fields = try CallFields.parse(frame.ext)
        } catch {
            return self.refuse(streamID, .invalidArgument, error.message)
        }
        guard self.running.count + self.receiving.count < Int(limits.maxConcurrentCalls) else {
            return self.refuse(
                streamID, .resourceExhausted, "too many concurrent calls on this connection (limit \(limits.maxConcurrentCalls))",
                retryAfter: configuration.overloadRetryHint)
        }
        guard let route = configuration.routes[fields.method] else {
            return self.refuse(streamID, .unimplemented, "\(configuration.name) has no method \(fields.method)")
        }
        if let allowed = route.allowed, allowed.isDisjoint(with: self.principals) {
            return self.refuse(streamID, .permissionDenied, "\(self.peer) may not call \(fields.method)")
        }
        guard frame.payload.readableBytes <= Int(limits.maxMessageSize) else {
            return self.refuse(streamID, .resourceExhausted, self.tooLarge(frame.payload.readableBytes))
        }
        guard fields.timeoutMicros != 0 else {
            return self.refuse(streamID, .deadlineExceeded, "the call arrived with no time left")
        }
        let timeout = fields.timeoutMicros.map { Duration.microseconds(Int64(clamping: $0)) } ?? configuration.defaultTimeout
        let deadline = now.advanced(by: timeout)
        if frame.flags.contains(.more) {
            let size = frame.payload.readableBytes
            guard self.reserve(size) else { return self.refuseMemory(streamID) }
            var request = ByteBuffer()
            request.reserveCapacity(size * 2)
            request.writeImmutableBuffer(frame.payload)
            self.receiving[streamID] = Receiving(route: route, fields: fields, request: request, receivedAt: now, deadline: deadline)
            return .none
        }
        return self.admit(streamID, Receiving(route: route, fields: fields, request: frame.payload, receivedAt: now, deadline: deadline))
    }

    private mutating func fragment(_ frame: Frame, now: ContinuousClock.Instant) throws(WireError) -> ReceiveAction {
        let streamID = frame.streamID
        guard !(frame.flags.contains(.more) && frame.flags.contains(.endStream)) else {
            throw WireError(.protocolError, "MESSAGE \(streamID) carries both MORE and END_STREAM")
        }
        try self.requireOpened(streamID, "MESSAGE")
        guard var call = self.receiving.removeValue(forKey: streamID) else { return .none }
        if !frame.flags.contains(.more) && !frame.flags.contains(.endStream) {
            self.release(call.request.readableBytes)
            throw WireError(.protocolError, "the last fragment of stream \(streamID) lacks END_STREAM")
        }
        let size = frame.payload.readableBytes
        let total = call.request.readableBytes + size
        guard total <= Int(self.configuration.limits.maxMessageSize) else {
            self.release(call.request.readableBytes)
            return self.refuse(streamID, .resourceExhausted, self.tooLarge(total))
        }
        guard self.reserve(size) else {
            self.release(call.request.readableBytes)
            return self.refuseMemory(streamID)
        }
        call.request.writeImmutableBuffer(frame.payload)
        if frame.flags.contains(.more) {
            self.receiving[streamID] = call
            return .none
        }
        self.release(total)
        return self.admit(streamID, call)
    }

    /// The last check, made once the whole request is here: a slot among the server's running calls.
    private mutating func admit(_ streamID: UInt32, _ call: Receiving) -> ReceiveAction {
        guard self.configuration.limiter.tryAcquire() else {
            return self.refuse(
                streamID, .resourceExhausted, "\(self.configuration.name) is running too many calls (limit \(self.configuration.limiter.limit))",
                retryAfter: self.configuration.overloadRetryHint)
        }
        self.running[streamID] = Running(deadline: call.deadline, followsUntilCancelled: call.route.followsUntilCancelled)
        return .start(StartedCall(
            streamID: streamID, route: call.route, fields: call.fields, request: call.request,
            receivedAt: call.receivedAt, deadline: call.deadline, clientLimits: self.clientLimits))
    }

    private mutating func cancel(_ streamID: UInt32, _ reason: CancelReason) throws(WireError) -> ReceiveAction {
        try self.requireOpened(streamID, "CANCEL")
        if let call = self.receiving.removeValue(forKey: streamID) {
            self.release(call.request.readableBytes)
            let code: RPCError.Code = reason == .deadlineExceeded ? .deadlineExceeded : .cancelled
            return self.refuse(streamID, code, "the caller gave up before its request had arrived")
        }
        guard let call = self.running[streamID], call.stopReason == nil else { return .none }
        let stop: StopReason = reason == .deadlineExceeded ? .deadlineExceeded : .cancelledByCaller
        self.running[streamID]?.stopReason = stop
        return .stop(streamID, stop)
    }

    private mutating func countPing(now: ContinuousClock.Instant) throws(WireError) {
        let limit = self.configuration.maxPingsPerSecond
        if let window = self.pingWindow, now - window.start < .seconds(1) {
            self.pingWindow?.count += 1
            if window.count + 1 > limit {
                throw WireError(.protocolError, "too many pings: more than \(limit) in one second")
            }
        } else {
            self.pingWindow = (now, 1)
        }
    }

    // MARK: Events

    /// A call's handler returned and its END is about to be written: forgets it. Returns whether
    /// to write the END, and whether the connection should close after it (the end of a drain).
    mutating func finished(_ streamID: UInt32) -> (send: Bool, thenClose: Bool) {
        guard self.running.removeValue(forKey: streamID) != nil else { return (false, false) }
        if case .closed = self.phase { return (false, false) }
        return (true, self.isDraining && !self.hasCalls)
    }

    /// Deadlines that have passed: requests still arriving are refused (not executed), running calls
    /// stopped. Also returns the earliest deadline left.
    mutating func expire(now: ContinuousClock.Instant) -> (refusals: [Frame], stopped: [UInt32], next: ContinuousClock.Instant?) {
        var refusals: [Frame] = []
        var stopped: [UInt32] = []
        for (streamID, call) in self.receiving where call.deadline <= now {
            self.receiving[streamID] = nil
            self.release(call.request.readableBytes)
            refusals.append(Self.refusal(streamID, .deadlineExceeded, "the deadline passed while the request was arriving"))
            self.configuration.metrics.refused(.deadlineExceeded)
        }
        for (streamID, call) in self.running where call.stopReason == nil && call.deadline <= now {
            self.running[streamID]?.stopReason = .deadlineExceeded
            stopped.append(streamID)
        }
        return (refusals, stopped, self.earliestDeadline)
    }

    /// The earliest deadline of the calls not yet stopped.
    var earliestDeadline: ContinuousClock.Instant? {
        let running = self.running.values.lazy.filter { $0.stopReason == nil }.map(\.deadline).min()
        let receiving = self.receiving.values.lazy.map(\.deadline).min()
        switch (running, receiving) {
        case let (a?, b?): return min(a, b)
        case let (a, b): return a ?? b
        }
    }

    enum DrainAction {
        /// Send DRAIN; close at once if no call is open.
        case drain(Frame, closeNow: Bool)
        case close
        case none
    }

    /// Stops taking calls (WIRE.md §10): calls above the highest id read are refused from now on.
    mutating func beginDrain(timeout: Duration) -> DrainAction {
        switch self.phase {
        case .awaitingHello:
            self.phase = .closed
            return .close
        case .draining, .closed:
            return .none
        case .ready:
            self.phase = .draining(lastStreamID: self.highestStreamID)
            let body = DrainBody(lastStreamID: self.highestStreamID, reason: .shutdown, deadlineMs: Self.milliseconds(timeout))
            return .drain(.drain(body), closeNow: !self.hasCalls)
        }
    }

    /// Stops every call still open: at the drain's deadline (`shutdown`) or when the connection
    /// closed. Requests still arriving are dropped; returns the running calls to stop.
    mutating func stopAll(_ reason: StopReason) -> [UInt32] {
        if reason == .connectionClosed { self.phase = .closed }
        for call in self.receiving.values { self.release(call.request.readableBytes) }
        self.receiving = [:]
        var stopped: [UInt32] = []
        for (streamID, call) in self.running where call.stopReason == nil {
            self.running[streamID]?.stopReason = reason
            stopped.append(streamID)
        }
        return stopped
    }

    /// Ends the streams that never end by themselves at the start of a drain (WIRE.md §10): a
    /// feed's stream runs until the client leaves, so waiting for it would hold the shutdown for
    /// the whole drain time. Returns the calls to stop.
    mutating func stopStreams() -> [UInt32] {
        var stopped: [UInt32] = []
        for (streamID, call) in self.running where call.followsUntilCancelled && call.stopReason == nil {
            self.running[streamID]?.stopReason = .drained
            stopped.append(streamID)
        }
        return stopped
    }

    /// Why a running call was stopped, if it was.
    func stopReason(of streamID: UInt32) -> StopReason? {
        self.running[streamID]?.stopReason
    }

    // MARK: Helpers

    private func requireOpened(_ streamID: UInt32, _ type: String) throws(WireError) {
        guard streamID <= self.highestStreamID else {
            throw WireError(.protocolError, "\(type) on stream \(streamID), which was never opened")
        }
    }

    private mutating func reserve(_ bytes: Int) -> Bool {
        guard self.bufferedBytes + bytes <= self.configuration.maxBufferedRequestBytes,
            self.configuration.requestMemory.reserve(bytes)
        else { return false }
        self.bufferedBytes += bytes
        return true
    }

    private mutating func release(_ bytes: Int) {
        self.bufferedBytes -= bytes
        self.configuration.requestMemory.release(bytes)
    }

    private func refuseMemory(_ streamID: UInt32) -> ReceiveAction {
        self.refuse(
            streamID, .resourceExhausted,
            "\(self.configuration.name) holds too many request bytes still arriving; send the request again later",
            retryAfter: self.configuration.overloadRetryHint)
    }

    private func refuse(_ streamID: UInt32, _ code: RPCError.Code, _ message: String, retryAfter: Duration? = nil) -> ReceiveAction {
        self.configuration.metrics.refused(code)
        return .send(Self.refusal(streamID, code, message, retryAfter: retryAfter))
    }

    /// END with outcome not executed (WIRE.md §6.3).
    static func refusal(_ streamID: UInt32, _ code: RPCError.Code, _ message: String, retryAfter: Duration? = nil) -> Frame {
        .end(streamID: streamID, EndBody(
            status: code.rawValue,
            outcome: CallOutcome.notExecuted.rawValue,
            retryAfterMs: retryAfter.map(Self.milliseconds) ?? WireProtocol.noRetryHint,
            message: message))
    }

    private func tooLarge(_ size: Int) -> String {
        "request of \(size) bytes exceeds the limit of \(self.configuration.limits.maxMessageSize)"
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
