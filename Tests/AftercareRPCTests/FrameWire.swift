import AftercareWire
import NIOCore
import NIOEmbedded

/// The frames a test sends into the channel, as bytes, and the frames the handler writes, decoded.
final class FrameWire {
    let channel: NIOAsyncTestingChannel
    private var encoder = FrameEncoder(writePreface: true)
    private var decoder = NIOSingleStepByteToMessageProcessor(FrameDecoder(expectPreface: false))
    private var received: [Frame] = []

    init(_ channel: NIOAsyncTestingChannel) {
        self.channel = channel
    }

    func send(_ frame: Frame) async throws {
        try await self.send([frame])
    }

    /// Sends `frames` in one buffer: the handler reads them in one read.
    func send(_ frames: [Frame]) async throws {
        var bytes = ByteBuffer()
        for frame in frames { self.encoder.encode(frame, into: &bytes) }
        try await self.channel.writeInbound(bytes)
    }

    /// The next frame the handler wrote, waiting for it.
    func next() async throws -> Frame {
        while self.received.isEmpty {
            let bytes = try await self.channel.waitForOutboundWrite(as: ByteBuffer.self)
            try self.decoder.process(buffer: bytes) { self.received.append($0) }
        }
        return self.received.removeFirst()
    }

    /// Whether the handler wrote nothing more.
    func isQuiet() async throws -> Bool {
        guard self.received.isEmpty else { return false }
        return try await self.channel.readOutbound(as: ByteBuffer.self) == nil
    }
}
