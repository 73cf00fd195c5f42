package import AftercareRPC
package import AftercareWire
import NIOCore
import Synchronization

/// A connection over a client transport (TLS included) that writes bytes exactly as given — no
/// preface, no frame encoder — and decodes what the peer sends back as frames: for truncated,
/// mis-sized and otherwise malformed frames that ``RawConnection`` cannot express.
package final class RawByteConnection: Sendable {
    private let channel: any Channel
    private let collector: FrameCollector

    init(channel: any Channel, collector: FrameCollector) {
        self.channel = channel
        self.collector = collector
    }

    /// Writes `bytes` as they are and flushes them.
    package func write(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// The frames received so far, and whether the peer closed the connection.
    package var received: (frames: [Frame], closed: Bool) {
        self.collector.received.withLock { ($0.frames, $0.closed) }
    }

    /// Waits (up to `timeout`) until what was received satisfies `condition`; answers whether it did.
    package func wait(timeout: Duration, until condition: ([Frame], _ closed: Bool) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let (frames, closed) = self.received
            if condition(frames, closed) { return true }
            if closed || ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Closes the connection from this side.
    package func close() async {
        try? await self.channel.close()
    }
}

extension ClientTransport {
    /// Opens a connection whose bytes ``RawByteConnection`` writes as given; closes it when `body` returns.
    package func withRawByteConnection<Result: Sendable>(_ body: @escaping @Sendable (RawByteConnection) async throws -> Result) async throws -> Result {
        try await self.withCollectingConnection(
            decoder: { channel in
                try channel.pipeline.syncOperations.addHandler(
                    ByteToMessageHandler(FrameDecoder(expectPreface: false, maxFrameSize: WireLimits.frameSizeRange.upperBound)))
            },
            RawByteConnection.init
        ) { try await body($0) }
    }
}
