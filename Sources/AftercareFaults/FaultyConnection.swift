import AftercareCrashPoints
import AftercareRPC
import AftercareWire
import NIOCore
import Synchronization

/// One connection seen through the faults: the client's stream ids are translated to the ids on
/// the wire, so the injector can drop, add (duplicates) and reorder calls while both ends still
/// see well-formed, increasing ids.
final class FaultyConnection: Sendable {
    private struct State {
        var nextWireID: UInt32 = 1
        var wireIDs: [UInt32: UInt32] = [:]
        var clientIDs: [UInt32: UInt32] = [:]
        /// Calls whose frames are swallowed on the way out.
        var droppedRequests: Set<UInt32> = []
        /// Wire ids whose replies are swallowed: dropped replies and injected duplicates.
        var droppedReplies: Set<UInt32> = []
        /// The wire id of each duplicated call's copy, by the client's id.
        var copies: [UInt32: UInt32] = [:]
        var replyDelays: [UInt32: Duration] = [:]
        /// A call held back by `reorder`, released after the next call's request.
        var held: (clientID: UInt32, frames: [Frame])?
        /// Calls held back by `hold-request`, by the fault's kind, until the call that releases them.
        var holds: [Fault.Kind: (clientID: UInt32, frames: [Frame])] = [:]
        /// Held calls whose caller sees nothing more of them: their later frames are dropped.
        var abandoned: Set<UInt32> = []
        /// The holds each sent call releases once the server has answered it (its END), by wire id.
        var releasedByReply: [UInt32: [Fault]] = [:]
        var bytesWritten = 0
    }

    private let inner: FrameConnection
    private let injector: FaultInjector
    private let budget: (budget: Int, fault: Fault, ordinal: Int)?
    private let state = Mutex(State())

    init(_ inner: FrameConnection, injector: FaultInjector) {
        self.inner = inner
        self.injector = injector
        self.budget = injector.byteBudget()
    }

    var connection: FrameConnection {
        FrameConnection(inbound: FaultyInbound(connection: self, inner: self.inner.inbound), outbound: Writer(connection: self), peer: self.inner.peer, label: self.inner.label)
    }

    // MARK: Outbound

    struct Writer: FrameWriter {
        let connection: FaultyConnection

        func write(contentsOf frames: [Frame]) async throws {
            for frame in frames { try await self.connection.send(frame) }
        }

        func close() async {
            await self.connection.inner.outbound.close()
        }
    }

    private func send(_ frame: Frame) async throws {
        switch frame.type {
        case .call:
            try await self.sendCall(frame)
        case _ where !frame.type.isConnectionFrame:
            enum Route { case drop, hold, forward([Frame]) }
            let route = self.state.withLock { state -> Route in
                if state.droppedRequests.contains(frame.streamID) { return .drop }
                if let hold = state.holds.first(where: { $0.value.clientID == frame.streamID })?.key {
                    // A held request's fragments stay with it; its cancellation is lost.
                    if frame.type == .message { state.holds[hold]?.frames.append(frame) }
                    return .drop
                }
                if state.abandoned.contains(frame.streamID) { return .drop }
                if state.held?.clientID == frame.streamID {
                    state.held?.frames.append(frame)
                    return .hold
                }
                var frames = [self.translate(frame, in: state)]
                if let copy = state.copies[frame.streamID] {
                    var duplicate = frame
                    duplicate.streamID = copy
                    frames.append(duplicate)
                }
                return .forward(frames)
            }
            if case .forward(let frames) = route { try await self.write(frames) }
        default:
            try await self.write([frame])
        }
    }

    private func sendCall(_ frame: Frame) async throws {
        let fields = try? CallFields.parse(frame.ext)
        let method = fields?.method ?? ""
        let faults = self.injector.faults(forCall: method)
        let released = self.injector.holdsReleased(byCall: method)
        var frame = frame
        if faults.contains(.garbleRequest) {
            frame.payload = ByteBuffer(repeating: 0xFF, count: frame.payload.readableBytes)
        }
        if faults.contains(.dropRequest) {
            self.state.withLock { _ = $0.droppedRequests.insert(frame.streamID) }
            return try await self.release(released)
        }
        if faults.contains(.reorder) {
            self.state.withLock { $0.held = (frame.streamID, [frame]) }
            return try await self.release(released)
        }
        if let hold = faults.first(where: { if case .holdRequest = $0 { true } else { false } }) {
            self.state.withLock { state in
                state.holds[hold] = (frame.streamID, [frame])
                state.abandoned.insert(frame.streamID)
            }
            return try await self.release(released)
        }
        for fault in faults {
            if case .delayRequest(let delay) = fault { try await Task.sleep(for: delay) }
        }
        let duplicate = faults.contains(.duplicate)
        var frames = self.state.withLock { state -> [Frame] in
            var out = [self.assign(frame, in: &state)]
            if duplicate {
                var copy = frame
                copy.streamID = state.nextWireID
                state.nextWireID += 2
                state.droppedReplies.insert(copy.streamID)
                state.copies[frame.streamID] = copy.streamID
                out.append(copy)
            }
            for fault in faults {
                switch fault {
                case .dropReply: state.droppedReplies.insert(out[0].streamID)
                case .delayReply(let delay): state.replyDelays[out[0].streamID] = delay
                default: break
                }
            }
            return out
        }
        // A held call leaves right after this one: the two have swapped places.
        if let held = self.state.withLock({ state -> [Frame]? in
            defer { state.held = nil }
            guard let held = state.held else { return nil }
            return held.frames.map { held.clientID == $0.streamID && $0.type == .call ? self.assign($0, in: &state) : self.translate($0, in: state) }
        }) {
            frames += held
        }
        if !released.isEmpty {
            // The held calls arrive once the server has answered this one: after it, for certain.
            self.state.withLock { $0.releasedByReply[frames[0].streamID, default: []] += released }
        }
        try await self.write(frames)
        if let saga = fields?.saga {
            CrashPoints.reach(.sagaCallSent, CrashPoint.stepContext(saga.sagaID, saga.step, saga.direction))
        }
    }

    /// Writes the calls `released` frees: once the call that freed them has been answered, or at
    /// once when that call itself never reaches the server. Their replies are dropped (their callers
    /// gave up on them).
    func release(_ released: [Fault]) async throws {
        for fault in released {
            let frames = self.state.withLock { state -> [Frame]? in
                guard let held = state.holds.removeValue(forKey: fault.kind) else { return nil }
                return held.frames.map { frame in
                    guard frame.type == .call else { return self.translate(frame, in: state) }
                    let assigned = self.assign(frame, in: &state)
                    state.droppedReplies.insert(assigned.streamID)
                    return assigned
                }
            }
            if let frames { try await self.write(frames) }
        }
    }

    /// Gives a client's CALL the next wire id.
    private func assign(_ frame: Frame, in state: inout State) -> Frame {
        var translated = frame
        translated.streamID = state.nextWireID
        state.wireIDs[frame.streamID] = state.nextWireID
        state.clientIDs[state.nextWireID] = frame.streamID
        state.nextWireID += 2
        return translated
    }

    private func translate(_ frame: Frame, in state: State) -> Frame {
        var translated = frame
        translated.streamID = state.wireIDs[frame.streamID] ?? frame.streamID
        return translated
    }

    /// Writes frames within the connection's byte budget; past it, cuts the connection.
    private func write(_ frames: [Frame]) async throws {
        if let budget {
            let size = frames.reduce(0) { $0 + WireProtocol.headerSize + $1.length }
            let cut = self.state.withLock { state in
                guard state.bytesWritten + size > budget.budget else {
                    state.bytesWritten += size
                    return false
                }
                return true
            }
            if cut {
                self.injector.record(budget.fault, ordinal: budget.ordinal)
                await self.inner.outbound.close()
                throw FaultInjected(message: "connection cut after \(budget.budget) bytes")
            }
        }
        try await self.inner.outbound.write(contentsOf: frames)
    }

    // MARK: Inbound

    /// What to do with a frame from the server: the frame to deliver (translated; `nil` to drop
    /// it), after a delay, and the held calls its END releases.
    func receive(_ frame: Frame) -> (frame: Frame?, delay: Duration?, releases: [Fault]) {
        self.state.withLock { state in
            if frame.type == .drain, var body = try? frame.drainBody() {
                body.lastStreamID = state.clientIDs.filter { $0.key <= body.lastStreamID }.values.max() ?? 0
                return (.drain(body), nil, [])
            }
            guard !frame.type.isConnectionFrame else { return (frame, nil, []) }
            let releases = frame.type == .end ? state.releasedByReply.removeValue(forKey: frame.streamID) ?? [] : []
            if state.droppedReplies.contains(frame.streamID) { return (nil, nil, releases) }
            var translated = frame
            translated.streamID = state.clientIDs[frame.streamID] ?? frame.streamID
            return (translated, state.replyDelays[frame.streamID], releases)
        }
    }
}

/// The server's frames as the client sees them through the faults.
struct FaultyInbound: AsyncSequence, Sendable {
    typealias Element = Frame
    typealias Failure = any Error

    let connection: FaultyConnection
    let inner: any AsyncSequence<Frame, any Error> & Sendable

    func makeAsyncIterator() -> Iterator {
        Iterator(connection: self.connection, inner: self.inner.makeAsyncIterator())
    }

    struct Iterator: AsyncIteratorProtocol {
        let connection: FaultyConnection
        var inner: any AsyncIteratorProtocol<Frame, any Error>

        mutating func next() async throws -> Frame? {
            while let frame = try await self.inner.next() {
                let (translated, delay, releases) = self.connection.receive(frame)
                if !releases.isEmpty { try await self.connection.release(releases) }
                guard let translated else { continue }
                if let delay { try await Task.sleep(for: delay) }
                return translated
            }
            return nil
        }
    }
}

/// The error a write fails with when the injector cuts the connection.
public struct FaultInjected: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { self.message }
}
