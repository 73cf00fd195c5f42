/// One application metadata entry (WIRE.md §5.2, tag 0x1000).
public struct MetadataEntry: Sendable, Hashable {
    /// 1–64 bytes of `a-z 0-9 - _ .`.
    public var key: String
    /// UTF-8 text, or any bytes when the key ends in `-bin`.
    public var value: [UInt8]

    public init(key: String, value: [UInt8]) {
        self.key = key
        self.value = value
    }

    public init(key: String, value: String) {
        self.init(key: key, value: Array(value.utf8))
    }

    /// Keys that travel only in their own CALL fields.
    public static let reservedKeys: Set<String> = ["traceparent", "idempotency-key", "actor"]

    /// Whether a key is reserved (WIRE.md §5.2).
    public static func isReserved(_ key: String) -> Bool {
        Self.reservedKeys.contains(key) || key.hasPrefix("saga-")
    }

    /// Checks a key's length, characters and reservation; checks a text value is UTF-8.
    public static func validate(key: String, value: [UInt8]) throws(FieldError) {
        guard (1...WireProtocol.maxMetadataKeyLength).contains(key.utf8.count) else {
            throw FieldError("metadata key must be 1–\(WireProtocol.maxMetadataKeyLength) bytes, got \(key.utf8.count)")
        }
        guard key.utf8.allSatisfy(Self.isKeyByte) else {
            throw FieldError("metadata key \"\(key)\" has characters outside a-z 0-9 - _ .")
        }
        guard !Self.isReserved(key) else {
            throw FieldError("metadata key \"\(key)\" is reserved: it travels in its own CALL field")
        }
        guard key.hasSuffix("-bin") || String(validating: value, as: UTF8.self) != nil else {
            throw FieldError("metadata value of \"\(key)\" is not UTF-8 (binary values need a key ending in -bin)")
        }
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }
}
