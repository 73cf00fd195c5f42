package import AftercareRPC
package import AftercareWire
package import NIOCore
import Synchronization

/// A connection driven frame by frame, to break the protocol on purpose and see the answer.
/// What the peer sends is collected as it arrives; tests wait for what they expect.
package final class RawConnection: Sendable {
    /// The connection's channel (its pipeline reads and writes frames).
    package let channel: any Channel
    private let collector: FrameCollector

    init(channel: any Channel, collector: FrameCollector) {
        self.channel = channel
        self.collector = collector
    }

    /// Sends frames as they are.
    package func send(_ frames: Frame...) async throws {
        guard let last = frames.last else { return }
        for frame in frames.dropLast() { self.channel.write(frame, promise: nil) }
        try await self.channel.writeAndFlush(last).get()
    }

    /// Waits until the frames received so far (and whether the peer closed) satisfy `condition`.
    @discardableResult
    package func waitFor(
        timeout: Duration = .seconds(10),
        _ condition: ([Frame], _ closed: Bool) -> Bool
    ) async throws -> [Frame] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let (frames, closed) = self.collector.received.withLock { ($0.frames, $0.closed) }
            if condition(frames, closed) { return frames }
            guard ContinuousClock.now < deadline, !closed else {
                throw TestKitError("waited \(timeout) in vain; received \(frames), closed: \(closed)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until the peer closes the connection; returns everything it sent.
    package func readUntilClosed(timeout: Duration = .seconds(10)) async throws -> [Frame] {
        try await self.waitFor(timeout: timeout) { $1 }
    }

    /// The HELLO a test client sends.
    package static let hello = Frame.hello(HelloFields(peerName: "raw-test", build: "0"))
}

/// Keeps every frame a raw connection reads, and whether it closed.
final class FrameCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = Frame
    let received = Mutex<(frames: [Frame], closed: Bool)>(([], false))

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        self.received.withLock { $0.frames.append(frame) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.received.withLock { $0.closed = true }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

extension ClientTransport {
    /// Opens a connection and hands it to `body` frame by frame; closes it when `body` returns.
    package func withRawConnection<Result: Sendable>(_ body: @escaping @Sendable (RawConnection) async throws -> Result) async throws -> Result {
        try await self.withCollectingConnection(
            decoder: { channel in try FramePipeline.addFrameCodec(to: channel, isServer: false, maxFrameSize: WireLimits.frameSizeRange.upperBound) },
            RawConnection.init
        ) { try await body($0) }
    }

    /// Opens a connection whose pipeline `decoder` sets up, with a ``FrameCollector`` after it; hands
    /// `body` the connection `make` builds and closes it when `body` returns.
    func withCollectingConnection<Connection: Sendable, Result: Sendable>(
        decoder: @escaping @Sendable (any Channel) throws -> Void, _ make: (any Channel, FrameCollector) -> Connection,
        _ body: (Connection) async throws -> Result
    ) async throws -> Result {
        let collector = FrameCollector()
        let channel = try await self.connect { channel in
            try decoder(channel)
            try channel.pipeline.syncOperations.addHandler(collector)
        }
        do {
            let result = try await body(make(channel, collector))
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }
}
