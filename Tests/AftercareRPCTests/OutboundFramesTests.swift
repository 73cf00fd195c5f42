@testable import AftercareRPC
import AftercareWire
import CoreMetrics
import NIOCore
import NIOEmbedded
import Testing

/// The connection's outbound buffer is used again for the next flush once nothing else holds it,
/// and never while something does.
@Suite("Outbound frames")
struct OutboundFramesTests {
    /// A handler that only gives the test its context.
    private final class Slot: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
    }

    private static func frame(_ streamID: UInt32, _ text: String) -> Frame {
        .message(streamID: streamID, payload: ByteBuffer(string: text))
    }

    private static func decoded(_ buffer: ByteBuffer) throws -> [Frame] {
        let decoder = NIOSingleStepByteToMessageProcessor(FrameDecoder(expectPreface: false))
        var frames: [Frame] = []
        try decoder.process(buffer: buffer) { frames.append($0) }
        return frames
    }

    private static func base(_ buffer: ByteBuffer) -> UInt {
        buffer.withVeryUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
    }

    @Test("a flush written and let go of leaves its buffer for the next, which reuses its memory; one still held is not written over")
    func reuse() throws {
        let channel = EmbeddedChannel(handler: Slot())
        defer { _ = try? channel.finish() }
        let context = try channel.pipeline.syncOperations.context(handlerType: Slot.self)
        let outbound = OutboundFrames(writePreface: false, sent: Counter(label: "test"))

        outbound.append(Self.frame(1, "first"), context)
        outbound.flush(context)
        let first = try #require(try channel.readOutbound(as: ByteBuffer.self))
        let firstBytes = Array(first.readableBytesView)

        // The first buffer is still held here: the second flush must not write into it. The second
        // frame grows its buffer past the 512 bytes a new one starts with.
        let long = String(repeating: "x", count: 1_500)
        outbound.append(Self.frame(3, long), context)
        outbound.flush(context)
        let second = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(first.readableBytesView) == firstBytes)
        #expect(try Self.decoded(first).map(\.streamID) == [1])
        #expect(try Self.decoded(second).map { String(buffer: $0.payload) } == [long])
        #expect(Self.base(first) != Self.base(second))

        // Once the channel has let go of the second, the third flush reuses its memory: the grown
        // capacity, where a new buffer would have 512 bytes.
        let (secondBase, secondCapacity) = (Self.base(second), second.capacity)
        #expect(secondCapacity > 512 && secondCapacity <= OutboundFrames.keptCapacity)
        _ = consume second
        outbound.append(Self.frame(5, "third"), context)
        outbound.appendEnd(5, EndBody(status: 0, outcome: 0), context)
        outbound.flush(context)
        let third = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(third.capacity == secondCapacity)
        #expect(Self.base(third) == secondBase)
        let frames = try Self.decoded(third)
        #expect(frames.map(\.streamID) == [5, 5])
        #expect(frames.first.map { String(buffer: $0.payload) } == "third")
    }
}
