public import NIOCore

/// A malformed or unacceptable field in a TLV block or frame body.
///
/// In a CALL it fails that call (`INVALID_ARGUMENT`, naming the field); in a HELLO it fails the
/// connection (`PROTOCOL_ERROR`).
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}

/// The TLV encoding of ext blocks: `tag u16 | len u16 | value` (WIRE.md §5).
public enum TLV {
    /// Bit 15 of a tag: a receiver that does not know the tag must fail.
    public static let mustUnderstand: UInt16 = 0x8000

    /// Calls `body` with each TLV of `block`, in order; throws if a TLV runs past the block's end.
    public static func forEach(in block: ByteBuffer, _ body: (UInt16, ByteBuffer) throws(FieldError) -> Void) throws(FieldError) {
        var block = block
        while block.readableBytes > 0 {
            guard let tag = block.readInteger(as: UInt16.self), let length = block.readInteger(as: UInt16.self) else {
                throw FieldError("truncated TLV header")
            }
            guard let value = block.readSlice(length: Int(length)) else {
                throw FieldError("TLV 0x\(hex(tag)) of \(length) bytes runs past the end of the ext block")
            }
            try body(tag, value)
        }
    }

    /// Appends one TLV.
    public static func write(tag: UInt16, value: some Collection<UInt8>, to buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(tag, UInt16(value.count))
        buffer.writeBytes(value)
    }

    /// Appends one TLV whose value is an integer.
    public static func write<I: FixedWidthInteger>(tag: UInt16, integer: I, to buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(tag, UInt16(I.bitWidth / 8), integer)
    }

    /// Appends one TLV whose value is a UTF-8 string.
    public static func write(tag: UInt16, string: String, to buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(tag, UInt16(string.utf8.count))
        buffer.writeString(string)
    }

    /// Reads a whole value as an integer of exactly its size.
    static func integer<I: FixedWidthInteger>(_ value: ByteBuffer, as: I.Type, field: String) throws(FieldError) -> I {
        guard value.readableBytes == I.bitWidth / 8, let integer = value.getInteger(at: value.readerIndex, as: I.self) else {
            throw FieldError("\(field) must be \(I.bitWidth / 8) bytes, got \(value.readableBytes)")
        }
        return integer
    }

    /// Reads a whole value as UTF-8 of a bounded length.
    static func string(_ value: ByteBuffer, field: String, allowed: ClosedRange<Int>) throws(FieldError) -> String {
        guard allowed.contains(value.readableBytes) else {
            throw FieldError("\(field) must be \(allowed.lowerBound)–\(allowed.upperBound) bytes, got \(value.readableBytes)")
        }
        guard let string = (try? value.getUTF8ValidatedString(at: value.readerIndex, length: value.readableBytes)) ?? nil else {
            throw FieldError("\(field) is not valid UTF-8")
        }
        return string
    }
}

/// Lowercase hex of a tag, 4 digits.
func hex(_ tag: UInt16) -> String {
    let digits = String(tag, radix: 16)
    return String(repeating: "0", count: 4 - digits.count) + digits
}
