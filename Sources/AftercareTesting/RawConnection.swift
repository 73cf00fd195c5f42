public import AftercareRPC
public import AftercareWire
public import AftercareNIO
import NIOCore
import NIOPosix

/// A connection driven frame by frame, to break the protocol on purpose and see the answer.
public struct RawConnection: Sendable {
    public let frames: FrameConnection

    /// Sends frames as they are.
    public func send(_ frames: Frame...) async throws {
        try await self.frames.outbound.write(contentsOf: frames)
    }

    /// Reads frames until the peer closes or `timeout` passes.
    public func readUntilClosed(timeout: Duration = .seconds(5)) async throws -> [Frame] {
        let inbound = self.frames.inbound
        return try await withThrowingTaskGroup(of: [Frame]?.self) { group in
            group.addTask {
                var frames: [Frame] = []
                do {
                    for try await frame in inbound { frames.append(frame) }
                } catch {}
                return frames
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let frames = try await group.next()! else {
                throw TestKitError("the peer did not close the connection within \(timeout)")
            }
            return frames
        }
    }

    /// The HELLO a test client sends.
    public static let hello = Frame.hello(HelloFields(peerName: "raw-test", build: "0"))
}

extension ClientTransport {
    /// Opens a connection and hands it to `body` frame by frame.
    public func withRawConnection<Result: Sendable>(_ body: @escaping @Sendable (RawConnection) async throws -> Result) async throws -> Result {
        let box = ResultBox<Result>()
        try await self.withConnection { frames in
            box.value = try await body(RawConnection(frames: frames))
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
    /// (decoded as a client would) until it closed the connection.
    public static func exchange(_ bytes: [UInt8], with address: TransportAddress, timeout: Duration = .seconds(5)) async throws -> [Frame] {
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
