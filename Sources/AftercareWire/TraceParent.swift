/// W3C Trace Context in binary: trace id, the caller's span id and the flags (WIRE.md §5.2, CALL field 0x0003).
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    /// 16 bytes, never all zero.
    public var traceID: TraceID
    /// The caller's span id, never zero.
    public var parentID: UInt64
    /// Bit 0: sampled.
    public var flags: UInt8

    public init(traceID: TraceID, parentID: UInt64, flags: UInt8 = 1) {
        self.traceID = traceID
        self.parentID = parentID
        self.flags = flags
    }

    /// A new trace with random ids.
    public static func random() -> TraceParent {
        TraceParent(traceID: .random(), parentID: TraceIDGenerator.spanID())
    }

    /// The W3C text form, `00-<trace id>-<parent id>-<flags>`.
    public var description: String {
        "00-\(self.traceID)-\(hex16(self.parentID))-\(self.flags < 16 ? "0" : "")\(String(self.flags, radix: 16))"
    }

    /// The size of the binary form.
    public static let encodedSize = 26
}

/// A 16-byte trace id, shown as 32 lowercase hex digits.
public struct TraceID: Sendable, Hashable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses 32 lowercase hex digits (no sign, no upper case: the W3C form).
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 32, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }), let high = UInt64(hex.prefix(16), radix: 16), let low = UInt64(hex.suffix(16), radix: 16) else {
            return nil
        }
        self.init(high: high, low: low)
    }

    /// A random, non-zero id.
    public static func random() -> TraceID {
        var generator = TraceIDGenerator()
        return TraceID(high: UInt64.random(in: 1...UInt64.max, using: &generator), low: generator.next())
    }

    public var isZero: Bool { self.high == 0 && self.low == 0 }

    public var description: String { hex16(self.high) + hex16(self.low) }
}

/// 16 lowercase hex digits.
public func hex16(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
