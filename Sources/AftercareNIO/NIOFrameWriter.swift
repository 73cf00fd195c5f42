import AftercareRPC
import AftercareWire
import NIOCore

/// A connection's outbound frames, written through its `NIOAsyncChannel`.
struct NIOFrameWriter: FrameWriter {
    let writer: NIOAsyncChannelOutboundWriter<Frame>
    let channel: any Channel

    func write(contentsOf frames: [Frame]) async throws {
        try await self.writer.write(contentsOf: frames)
    }

    func close() async {
        self.writer.finish()
        try? await self.channel.close()
    }
}
