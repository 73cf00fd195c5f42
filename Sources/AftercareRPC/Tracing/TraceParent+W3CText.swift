import AftercareWire

// The W3C text form of a traceparent, `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`, which
// is how a span's context crosses swift-distributed-tracing's `extract` / `inject`: written and read
// here in one pass over the bytes, one allocation for the text and none for reading it.
extension TraceParent {
    /// The length of the text form.
    static let w3cLength = 55

    /// The text form, made in one allocation.
    var w3cText: String {
        String(unsafeUninitializedCapacity: Self.w3cLength) { bytes in
            bytes[0] = UInt8(ascii: "0")
            bytes[1] = UInt8(ascii: "0")
            bytes[2] = UInt8(ascii: "-")
            Self.writeHex(self.traceID.high, into: bytes, at: 3)
            Self.writeHex(self.traceID.low, into: bytes, at: 19)
            bytes[35] = UInt8(ascii: "-")
            Self.writeHex(self.parentID, into: bytes, at: 36)
            bytes[52] = UInt8(ascii: "-")
            bytes[53] = Self.hexDigit(self.flags >> 4)
            bytes[54] = Self.hexDigit(self.flags & 0xF)
            return Self.w3cLength
        }
    }

    /// Parses the text form (version `00`, lowercase hex); `nil` for anything else, or a zero id.
    init?(w3c text: String) {
        var text = text
        let parsed: TraceParent? = text.withUTF8 { bytes in
            guard bytes.count == Self.w3cLength, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "0"),
                bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"), bytes[52] == UInt8(ascii: "-"),
                let high = Self.readHex(bytes, at: 3, count: 16), let low = Self.readHex(bytes, at: 19, count: 16),
                let parentID = Self.readHex(bytes, at: 36, count: 16), let flags = Self.readHex(bytes, at: 53, count: 2)
            else { return nil }
            let traceID = TraceID(high: high, low: low)
            guard !traceID.isZero, parentID != 0 else { return nil }
            return TraceParent(traceID: traceID, parentID: parentID, flags: UInt8(flags))
        }
        guard let parsed else { return nil }
        self = parsed
    }

    private static func writeHex(_ value: UInt64, into bytes: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0..<16 {
            bytes[offset + index] = Self.hexDigit(UInt8(truncatingIfNeeded: value >> (60 - 4 * index)) & 0xF)
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    private static func readHex(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, count: Int) -> UInt64? {
        var value: UInt64 = 0
        for byte in bytes[offset..<offset + count] {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }
}
