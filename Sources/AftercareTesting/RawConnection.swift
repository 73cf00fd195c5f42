public import AftercareRPC
public import AftercareWire
import Synchronization

/// A connection driven frame by frame, to break the protocol on purpose and see the answer.
/// What the peer sends is collected in the background; tests wait for what they expect.
public final class RawConnection: Sendable {
    public let frames: FrameConnection
    private let received = Mutex<(frames: [Frame], closed: Bool)>(([], false))

    init(frames: FrameConnection) {
        self.frames = frames
    }

    /// Sends frames as they are.
    public func send(_ frames: Frame...) async throws {
        try await self.frames.outbound.write(contentsOf: frames)
    }

    /// Waits until the frames received so far (and whether the peer closed) satisfy `condition`.
    @discardableResult
    public func waitFor(
        timeout: Duration = .seconds(10),
        _ condition: ([Frame], _ closed: Bool) -> Bool
    ) async throws -> [Frame] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let (frames, closed) = self.received.withLock { ($0.frames, $0.closed) }
            if condition(frames, closed) { return frames }
            guard ContinuousClock.now < deadline, !closed else {
                throw TestKitError("waited \(timeout) in vain; received \(frames), closed: \(closed)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until the peer closes the connection; returns everything it sent.
    public func readUntilClosed(timeout: Duration = .seconds(10)) async throws -> [Frame] {
        try await self.waitFor(timeout: timeout) { $1 }
    }

    /// Collects inbound frames until the connection ends.
    fileprivate func collect() async {
        do {
            for try await frame in self.frames.inbound {
                self.received.withLock { $0.frames.append(frame) }
            }
        } catch {}
        self.received.withLock { $0.closed = true }
    }

    /// The HELLO a test client sends.
    public static let hello = Frame.hello(HelloFields(peerName: "raw-test", build: "0"))
}

extension ClientTransport {
    /// Opens a connection and hands it to `body` frame by frame.
    public func withRawConnection<Result: Sendable>(_ body: @escaping @Sendable (RawConnection) async throws -> Result) async throws -> Result {
        let box = ResultBox<Result>()
        try await self.withConnection { frames in
            let raw = RawConnection(frames: frames)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await raw.collect() }
                box.value = try await body(raw)
                group.cancelAll()
            }
        }
        return box.value!
    }
}

/// Carries a result out of a `@Sendable` closure.
private final class ResultBox<Value: Sendable>: @unchecked Sendable {
    var value: Value?
}
