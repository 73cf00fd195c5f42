package import AftercareNIO
package import AftercareWire
import NIOCore
import NIOPosix

/// Bytes written straight to a socket, no frame codec on the way out: for garbage and truncated input.
package enum RawSocket {
    /// Connects to a plaintext address, writes `bytes`, then returns the frames the server sent
    /// (decoded as a client would) until it closed the connection. With `closeAfterSending`, it
    /// closes the connection right after writing instead and returns nothing.
    package static func exchange(
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
