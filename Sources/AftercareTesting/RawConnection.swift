public import AftercareRPC
public import AftercareWire
public import AftercareNIO
import NIOCore
import NIOPosix
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

/// Bytes written straight to a socket, no frame codec on the way out: for garbage and truncated input.
public enum RawSocket {
    /// Connects to a plaintext address, writes `bytes`, then returns the frames the server sent
    /// (decoded as a client would) until it closed the connection. With `closeAfterSending`, it
    /// closes the connection right after writing instead and returns nothing.
    public static func exchange(
        _ bytes: [UInt8],
        with address: TransportAddress,
        closeAfterSending: Bool = false,
        timeout: Duration = .seconds(15)
    ) async throws -> [Frame] {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        let initializer: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> = { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel(wrappingChannelSynchronously: channel) }
        }
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        switch address {
        case .unix(let path):
            channel = try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
        case .tcp(let host, let port):
            channel = try await bootstrap.connect(host: host, port: port, channelInitializer: initializer)
        }
        let received = try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            if closeAfterSending { return ByteBuffer() }
            return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask {
                    var all = ByteBuffer()
                    do {
                        for try await var chunk in inbound { all.writeBuffer(&chunk) }
                    } catch {}
                    return all
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let all = try await group.next()! else {
                    throw TestKitError("the server did not close the connection within \(timeout)")
                }
                return all
            }
        }
        var decoder = FrameDecoder(expectPreface: false, maxFrameSize: WireLimits.frameSizeRange.upperBound)
        var buffer = received
        var frames: [Frame] = []
        while let frame = try decoder.decode(buffer: &buffer) { frames.append(frame) }
        return frames
    }
}
