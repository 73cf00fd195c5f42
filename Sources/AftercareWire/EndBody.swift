public import NIOCore

/// The body of an END frame: how a call ended (WIRE.md §4.3).
public struct EndBody: Sendable, Hashable {
    /// A status code of WIRE.md §7.1.
    public var status: UInt16
    /// 0 not executed, 1 executed, 2 unknown (WIRE.md §7.2).
    public var outcome: UInt8
    /// A hint in milliseconds, or ``WireProtocol/noRetryHint``.
    public var retryAfterMs: UInt32
    public var message: String
    /// Trailing metadata.
    public var metadata: [MetadataEntry]

    public init(status: UInt16, outcome: UInt8, retryAfterMs: UInt32 = WireProtocol.noRetryHint, message: String = "", metadata: [MetadataEntry] = []) {
        self.status = status
        self.outcome = outcome
        self.retryAfterMs = retryAfterMs
        self.message = message
        self.metadata = metadata
    }

    /// Appends the trailing metadata TLVs (the ext block).
    public func writeExt(to buffer: inout ByteBuffer) {
        MetadataEntry.write(self.metadata, to: &buffer)
    }

    /// Appends the fixed fields and the message (the payload).
    public func writePayload(to buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(self.status, self.outcome, UInt8(0), self.retryAfterMs)
        if !self.message.isEmpty { buffer.writeString(self.message) }
    }

    /// Parses an END frame's ext block and payload.
    public static func parse(ext: ByteBuffer, payload: ByteBuffer) throws(FieldError) -> EndBody {
        var payload = payload
        guard let status = payload.readInteger(as: UInt16.self),
            let outcome = payload.readInteger(as: UInt8.self),
            payload.readInteger(as: UInt8.self) != nil,
            let retryAfter = payload.readInteger(as: UInt32.self)
        else { throw FieldError("END payload is shorter than 8 bytes") }
        guard outcome <= 2 else { throw FieldError("END outcome \(outcome) is not 0, 1 or 2") }
        let message = payload.readString(length: payload.readableBytes) ?? ""
        var metadata: [MetadataEntry] = []
        try TLV.forEach(in: ext) { (tag: UInt16, value: ByteBuffer) throws(FieldError) in
            guard tag == CallFields.Tag.metadata else {
                throw FieldError("END ext block may hold only metadata entries (0x1000), got 0x\(hex(tag))")
            }
            metadata.append(try MetadataEntry.parse(value))
        }
        return EndBody(status: status, outcome: outcome, retryAfterMs: retryAfter, message: message, metadata: metadata)
    }
}
