public import NIOCore

/// A connection's frames, from its bytes as they arrive: decodes every whole frame of each read and
/// keeps only an unfinished frame's bytes, in a buffer of its own.
///
/// Unlike `NIOSingleStepByteToMessageProcessor`, it keeps no reference to a read buffer once the
/// read's frames are out: swift-nio-ssl hands over the same plaintext buffer on every read and
/// writes into it again, which costs a copy (two allocations) whenever the buffer is still shared.
/// Slices of a frame that its receiver keeps (a payload still in use) keep the buffer shared, as
/// they must.
public struct FrameReader {
    private var decoder: FrameDecoder
    /// The bytes of a frame not yet whole, copied out of the reads they came in.
    private var unfinished: ByteBuffer?

    public init(_ decoder: FrameDecoder) {
        self.decoder = decoder
    }

    /// How many bytes of an unfinished frame wait for the next read.
    public var unfinishedBytes: Int { self.unfinished?.readableBytes ?? 0 }

    /// Hands `body` every frame `bytes` completes, in order.
    /// - Throws: what the decoder throws for bytes that break the protocol (``WireError``,
    ///   ``PrefaceMismatch``), or what `body` throws; the reader is not to be used after either.
    public mutating func read(_ bytes: ByteBuffer, _ body: (Frame) throws -> Void) throws {
        var buffer: ByteBuffer
        let ownBuffer: Bool
        if var unfinished = self.unfinished {
            self.unfinished = nil
            unfinished.writeImmutableBuffer(bytes)
            (buffer, ownBuffer) = (unfinished, true)
        } else {
            (buffer, ownBuffer) = (bytes, false)
        }
        while let frame = try self.decoder.decode(buffer: &buffer) {
            try body(frame)
        }
        guard buffer.readableBytes > 0 else { return }
        if ownBuffer {
            buffer.discardReadBytes()
            self.unfinished = buffer
        } else {
            var own = ByteBufferAllocator().buffer(capacity: buffer.readableBytes)
            own.writeImmutableBuffer(buffer)
            self.unfinished = own
        }
    }
}
