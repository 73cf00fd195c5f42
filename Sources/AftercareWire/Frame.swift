public import NIOCore

/// One frame as it travels: the header fields, the ext block and the payload (WIRE.md §3).
///
/// The decoder checks everything that can be checked without knowing the connection's state
/// (sizes, stream id class, payload sizes); the typed bodies (``CallFields``, ``EndBody``, …)
/// parse the ext block and payload.
public struct Frame: Sendable, Hashable {
    public var type: FrameType
    public var flags: FrameFlags
    public var streamID: UInt32
    /// The TLV block at the start of the body.
    public var ext: ByteBuffer
    /// The rest of the body.
    public var payload: ByteBuffer

    public init(type: FrameType, flags: FrameFlags = [], streamID: UInt32, ext: ByteBuffer = ByteBuffer(), payload: ByteBuffer = ByteBuffer()) {
        self.type = type
        self.flags = flags
        self.streamID = streamID
        self.ext = ext
        self.payload = payload
    }

    /// The body length the header announces.
    public var length: Int { self.ext.readableBytes + self.payload.readableBytes }
}

extension Frame: CustomStringConvertible {
    public var description: String {
        "\(self.type)(stream: \(self.streamID), flags: 0x\(String(self.flags.rawValue, radix: 16)), ext: \(self.ext.readableBytes) B, payload: \(self.payload.readableBytes) B)"
    }
}
