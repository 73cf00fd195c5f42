import AftercareWire
import NIOCore

/// Frame bytes written by hand, so tests can build frames the encoder would never produce.
enum RawFrame {
    /// A 12-byte header followed by `ext` and `payload`; `length` and `extLength` default to the real sizes.
    static func bytes(
        length: UInt32? = nil,
        type: UInt8,
        flags: UInt8 = 0,
        extLength: UInt16? = nil,
        streamID: UInt32,
        ext: [UInt8] = [],
        payload: [UInt8] = []
    ) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeInteger(length ?? UInt32(ext.count + payload.count))
        buffer.writeInteger(type)
        buffer.writeInteger(flags)
        buffer.writeInteger(extLength ?? UInt16(ext.count))
        buffer.writeInteger(streamID)
        buffer.writeBytes(ext)
        buffer.writeBytes(payload)
        return Array(buffer.readableBytesView)
    }
}

/// One TLV, `tag u16 | len u16 | value`, written by hand (WIRE.md §5).
func tlv(_ tag: UInt16, _ value: [UInt8]) -> [UInt8] {
    [UInt8(tag >> 8), UInt8(tag & 0xFF), UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
}

func tlv(_ tag: UInt16, _ value: String) -> [UInt8] {
    tlv(tag, Array(value.utf8))
}

/// Big-endian bytes of an integer.
func bigEndian<I: FixedWidthInteger>(_ value: I) -> [UInt8] {
    (0..<(I.bitWidth / 8)).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}

/// The bytes a frame encodes to.
func encoded(_ frame: Frame) -> [UInt8] {
    var buffer = ByteBuffer()
    frame.write(to: &buffer)
    return Array(buffer.readableBytesView)
}

/// Decodes every frame `bytes` hold with one decoder; fails if bytes are left over.
func decodeAll(_ bytes: [UInt8], expectPreface: Bool = false, maxFrameSize: UInt32 = WireLimits.defaults.maxFrameSize) throws -> [Frame] {
    var decoder = FrameDecoder(expectPreface: expectPreface, maxFrameSize: maxFrameSize)
    var buffer = ByteBuffer(bytes: bytes)
    var frames: [Frame] = []
    while let frame = try decoder.decode(buffer: &buffer) {
        frames.append(frame)
    }
    guard buffer.readableBytes == 0 else { throw LeftOver(count: buffer.readableBytes) }
    return frames
}

struct LeftOver: Error, CustomStringConvertible {
    var count: Int
    var description: String { "\(self.count) bytes left undecoded" }
}
