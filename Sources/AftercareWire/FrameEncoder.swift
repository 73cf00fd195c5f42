public import NIOCore

/// Writes frames as bytes (WIRE.md §3); a client's encoder writes the preface before its first frame.
public struct FrameEncoder: Sendable {
    private var prefacePending: Bool

    /// - Parameter writePreface: `true` on the client side of a connection.
    public init(writePreface: Bool) {
        self.prefacePending = writePreface
    }

    /// Appends `frame` (after the preface, the first time on a client) to `out`.
    public mutating func encode(_ frame: Frame, into out: inout ByteBuffer) {
        self.writePrefaceIfPending(into: &out)
        frame.write(to: &out)
    }

    /// Appends the END frame of `body` to `out`, as ``encode(_:into:)`` would write
    /// `Frame.end(streamID:_:)`, without building the frame's buffers.
    public mutating func encodeEnd(streamID: UInt32, _ body: EndBody, into out: inout ByteBuffer) {
        self.writePrefaceIfPending(into: &out)
        let extLength = MetadataEntry.encodedSize(body.metadata)
        let length = extLength + 8 + body.message.utf8.count
        out.writeMultipleIntegers(UInt32(length), FrameType.end.rawValue, FrameFlags().rawValue, UInt16(extLength), streamID)
        body.writeExt(to: &out)
        body.writePayload(to: &out)
    }

    /// Appends the header and ext block of a CALL frame carrying `fields` and `payloadLength`
    /// bytes of request (after the preface, the first time on a client) to `out`, as
    /// ``encodeHeader(_:into:)`` would write `Frame.call(streamID:fields:payload:)`'s, the fields
    /// written straight into `out` rather than into a buffer of their own. The caller writes the
    /// payload next.
    public mutating func encodeCallHeader(streamID: UInt32, flags: FrameFlags, fields: CallFields, payloadLength: Int, into out: inout ByteBuffer) {
        self.writePrefaceIfPending(into: &out)
        let extLength = fields.encodedSize
        out.writeMultipleIntegers(UInt32(extLength + payloadLength), FrameType.call.rawValue, flags.rawValue, UInt16(extLength), streamID)
        fields.write(to: &out)
    }

    /// Appends `frame` (after the preface, the first time on a client) to `out`, all but its
    /// payload, which the caller writes next.
    public mutating func encodeHeader(_ frame: Frame, into out: inout ByteBuffer) {
        self.writePrefaceIfPending(into: &out)
        frame.writeHeader(to: &out)
    }

    /// Writes the preface before a client's first frame.
    private mutating func writePrefaceIfPending(into out: inout ByteBuffer) {
        guard self.prefacePending else { return }
        out.writeBytes(WireProtocol.preface)
        self.prefacePending = false
    }
}

/// The channel handler that writes outbound ``Frame``s with a ``FrameEncoder``.
public final class FrameEncoderHandler: ChannelOutboundHandler, RemovableChannelHandler {
    public typealias OutboundIn = Frame
    public typealias OutboundOut = ByteBuffer

    private var encoder: FrameEncoder

    public init(writePreface: Bool) {
        self.encoder = FrameEncoder(writePreface: writePreface)
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let frame = Self.unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: WireProtocol.headerSize + frame.length + 8)
        self.encoder.encode(frame, into: &buffer)
        context.write(Self.wrapOutboundOut(buffer), promise: promise)
    }
}

@available(*, unavailable)
extension FrameEncoderHandler: Sendable {}

extension Frame {
    /// Appends the frame's header and body to `buffer`.
    public func write(to buffer: inout ByteBuffer) {
        self.writeHeader(to: &buffer)
        buffer.writeImmutableBuffer(self.payload)
    }

    /// Appends the frame's header and ext block: everything but the payload.
    public func writeHeader(to buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(UInt32(self.length), self.type.rawValue, self.flags.rawValue, UInt16(self.ext.readableBytes), self.streamID)
        buffer.writeImmutableBuffer(self.ext)
    }
}
