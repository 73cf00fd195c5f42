import AftercareWire
import CoreMetrics
import NIOCore

/// The frames a protocol handler has written since its last flush, as bytes: frames leave a
/// connection in one buffer per flush, encoded where they are made (no `Frame` travels the
/// pipeline, so none is boxed into a `NIOAny`).
///
/// A large payload is not copied: the bytes before it are written, then the payload's own buffer.
///
/// The buffer of a flush is kept after it is written and cleared for the next flush: once the
/// channel has written it to the socket (or TLS has encrypted it) nothing else holds it, and
/// clearing it reuses its memory — no allocation per flush. While it is still held, clearing it
/// allocates a new one, as a fresh buffer would. Buffers grown past ``keptCapacity`` are not kept.
///
/// A class, so that no access to it is held while it writes into the pipeline: a write may call
/// back into the handler (a failed write closes the channel), which may queue more frames.
final class OutboundFrames {
    private var encoder: FrameEncoder
    private var pending: ByteBuffer?
    /// The last flush's buffer, to be cleared and used again.
    private var spare: ByteBuffer?
    /// The largest buffer kept between flushes, so an idle connection holds at most this much.
    static let keptCapacity = 4_096
    /// Counts the bytes written.
    private let sent: Counter
    /// Payloads at least this large are written as their own buffer, not copied.
    private static let copyLimit = 16_384

    /// - Parameters:
    ///   - writePreface: `true` on the client side of a connection.
    ///   - sent: counts the bytes written.
    init(writePreface: Bool, sent: Counter) {
        self.encoder = FrameEncoder(writePreface: writePreface)
        self.sent = sent
    }

    /// Queues `frame` for the next ``flush(_:)``.
    func append(_ frame: Frame, _ context: ChannelHandlerContext) {
        self.append(extSize: frame.ext.readableBytes, payload: frame.payload, context) { encoder, out in
            encoder.encodeHeader(frame, into: &out)
        }
    }

    /// Queues the CALL frame of `fields` and `payload`, the fields encoded straight into the buffer.
    func appendCall(streamID: UInt32, flags: FrameFlags, fields: CallFields, payload: ByteBuffer, _ context: ChannelHandlerContext) {
        self.append(extSize: fields.encodedSize, payload: payload, context) { encoder, out in
            encoder.encodeCallHeader(streamID: streamID, flags: flags, fields: fields, payloadLength: payload.readableBytes, into: &out)
        }
    }

    /// Queues a frame whose header and ext block (`extSize` bytes) `header` writes, then `payload`:
    /// copied into the buffer, or, when large, written as its own buffer after the buffer so far.
    private func append(
        extSize: Int, payload: ByteBuffer, _ context: ChannelHandlerContext, header: (inout FrameEncoder, inout ByteBuffer) -> Void
    ) {
        let large = payload.readableBytes >= Self.copyLimit
        let size = WireProtocol.preface.count + WireProtocol.headerSize + extSize + (large ? 0 : payload.readableBytes)
        if self.pending == nil {
            self.pending = self.emptyBuffer(capacity: max(size, 512), context)
        }
        header(&self.encoder, &self.pending!)
        guard large else {
            self.pending!.writeImmutableBuffer(payload)
            return
        }
        self.write(self.pending.take()!, context)
        self.write(payload, context)
    }

    /// Queues the END frame of `body`, encoded straight into the buffer.
    func appendEnd(_ streamID: UInt32, _ body: EndBody, _ context: ChannelHandlerContext) {
        if self.pending == nil {
            self.pending = self.emptyBuffer(capacity: 512, context)
        }
        self.encoder.encodeEnd(streamID: streamID, body, into: &self.pending!)
    }

    /// Writes what is queued and flushes the channel.
    func flush(_ context: ChannelHandlerContext) {
        if let pending = self.pending.take() {
            if pending.capacity <= Self.keptCapacity { self.spare = pending }
            self.write(pending, context)
        }
        context.flush()
    }

    /// The spare buffer cleared, if it holds `capacity`, or a new one.
    private func emptyBuffer(capacity: Int, _ context: ChannelHandlerContext) -> ByteBuffer {
        guard var buffer = self.spare.take(), buffer.capacity >= capacity else {
            return context.channel.allocator.buffer(capacity: capacity)
        }
        buffer.clear()
        return buffer
    }

    private func write(_ bytes: ByteBuffer, _ context: ChannelHandlerContext) {
        self.sent.increment(by: Int64(bytes.readableBytes))
        context.write(NIOAny(bytes), promise: nil)
    }
}
