public import NIOCore

/// The fields of a CALL frame's ext block (WIRE.md §5.2).
public struct CallFields: Sendable, Hashable {
    /// `<package>.<Service>/<Method>`.
    public var method: String
    /// Microseconds the caller still waits; `nil` for the server's default.
    public var timeoutMicros: UInt64?
    public var traceParent: TraceParent?
    public var saga: SagaContext?
    /// The key as sent; see ``effectiveIdempotencyKey`` for the one that applies.
    public var idempotencyKey: String?
    public var actor: String?
    public var metadata: [MetadataEntry]

    public init(
        method: String,
        timeoutMicros: UInt64? = nil,
        traceParent: TraceParent? = nil,
        saga: SagaContext? = nil,
        idempotencyKey: String? = nil,
        actor: String? = nil,
        metadata: [MetadataEntry] = []
    ) {
        self.method = method
        self.timeoutMicros = timeoutMicros
        self.traceParent = traceParent
        self.saga = saga
        self.idempotencyKey = idempotencyKey
        self.actor = actor
        self.metadata = metadata
    }

    /// The idempotency key the call has: its own, or the one its saga context implies.
    public var effectiveIdempotencyKey: String? { self.idempotencyKey ?? self.saga?.defaultIdempotencyKey }

    /// Tags of the CALL fields.
    public enum Tag {
        public static let method: UInt16 = 0x8001
        public static let timeout: UInt16 = 0x8002
        public static let traceParent: UInt16 = 0x0003
        public static let saga: UInt16 = 0x8004
        public static let idempotencyKey: UInt16 = 0x8005
        public static let actor: UInt16 = 0x0006
        public static let metadata: UInt16 = 0x1000

        /// Fields 1–6 in order.
        static let all: [UInt16] = [method, timeout, traceParent, saga, idempotencyKey, actor]
    }

    /// The bytes ``write(to:)`` appends.
    public var encodedSize: Int {
        var size = 4 + self.method.utf8.count
        if self.timeoutMicros != nil { size += 4 + 8 }
        if self.traceParent != nil { size += 4 + TraceParent.encodedSize }
        if let saga { size += 4 + 1 + saga.sagaID.utf8.count + 1 + saga.step.utf8.count + 1 + 2 }
        if let idempotencyKey { size += 4 + idempotencyKey.utf8.count }
        if let actor { size += 4 + actor.utf8.count }
        return size + MetadataEntry.encodedSize(self.metadata)
    }

    /// The fields as an ext block, in a buffer of exactly their size.
    public func encoded() -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: self.encodedSize)
        self.write(to: &buffer)
        return buffer
    }

    /// Whether `method` holds a `/`, scanned in its contiguous UTF-8 where it has it (a native
    /// string always does) rather than index by index.
    private static func hasSlash(_ method: String) -> Bool {
        method.utf8.withContiguousStorageIfAvailable { $0.contains(UInt8(ascii: "/")) } ?? method.utf8.contains(UInt8(ascii: "/"))
    }

    /// Appends the fields as TLVs, in the order WIRE.md lists them.
    public func write(to buffer: inout ByteBuffer) {
        TLV.write(tag: Tag.method, string: self.method, to: &buffer)
        if let timeoutMicros {
            TLV.write(tag: Tag.timeout, integer: timeoutMicros, to: &buffer)
        }
        if let traceParent {
            buffer.writeMultipleIntegers(
                Tag.traceParent, UInt16(TraceParent.encodedSize), UInt8(0), traceParent.traceID.high, traceParent.traceID.low,
                traceParent.parentID, traceParent.flags)
        }
        if let saga {
            let length = 1 + saga.sagaID.utf8.count + 1 + saga.step.utf8.count + 1 + 2
            buffer.writeInteger(Tag.saga)
            buffer.writeInteger(UInt16(length))
            buffer.writeInteger(UInt8(saga.sagaID.utf8.count))
            buffer.writeString(saga.sagaID)
            buffer.writeInteger(UInt8(saga.step.utf8.count))
            buffer.writeString(saga.step)
            buffer.writeInteger(saga.direction.rawValue)
            buffer.writeInteger(saga.attempt)
        }
        if let idempotencyKey {
            TLV.write(tag: Tag.idempotencyKey, string: idempotencyKey, to: &buffer)
        }
        if let actor {
            TLV.write(tag: Tag.actor, string: actor, to: &buffer)
        }
        MetadataEntry.write(self.metadata, to: &buffer)
    }

    /// Checks what a sender can check before writing: lengths and metadata keys.
    public func validate() throws(FieldError) {
        guard (3...WireProtocol.maxMethodLength).contains(self.method.utf8.count), Self.hasSlash(self.method) else {
            throw FieldError("CALL field 0x8001 (method) must be <package>.<Service>/<Method> of 3–255 bytes, got \"\(self.method)\"")
        }
        if let saga {
            try Self.checkSaga(sagaIDLength: saga.sagaID.utf8.count, stepLength: saga.step.utf8.count, attempt: saga.attempt)
        }
        if let idempotencyKey, !(1...WireProtocol.maxIdempotencyKeyLength).contains(idempotencyKey.utf8.count) {
            throw FieldError("CALL field 0x8005 (idempotency key) must be 1–255 bytes, got \(idempotencyKey.utf8.count)")
        }
        if let actor, !(1...WireProtocol.maxActorLength).contains(actor.utf8.count) {
            throw FieldError("CALL field 0x0006 (actor) must be 1–255 bytes, got \(actor.utf8.count)")
        }
        for entry in self.metadata {
            try MetadataEntry.validate(key: entry.key, value: entry.value)
        }
    }

    /// Parses a CALL ext block; the error names the field that is wrong.
    public static func parse(_ block: ByteBuffer) throws(FieldError) -> CallFields {
        var fields = CallFields(method: "")
        var seen = SeenTags()
        try TLV.forEach(in: block) { (tag: UInt16, value: ByteBuffer) throws(FieldError) in
            if tag != Tag.metadata {
                guard seen.insert(tag) else { throw FieldError("CALL field 0x\(hex(tag)) appears twice") }
            }
            switch tag {
            case Tag.method:
                fields.method = try TLV.string(value, field: "CALL field 0x8001 (method)", allowed: 3...WireProtocol.maxMethodLength)
            case Tag.timeout:
                fields.timeoutMicros = try TLV.integer(value, as: UInt64.self, field: "CALL field 0x8002 (timeout)")
            case Tag.traceParent:
                fields.traceParent = Self.parseTraceParent(value)
            case Tag.saga:
                fields.saga = try Self.parseSaga(value)
            case Tag.idempotencyKey:
                fields.idempotencyKey = try TLV.string(value, field: "CALL field 0x8005 (idempotency key)", allowed: 1...WireProtocol.maxIdempotencyKeyLength)
            case Tag.actor:
                fields.actor = try TLV.string(value, field: "CALL field 0x0006 (actor)", allowed: 1...WireProtocol.maxActorLength)
            case Tag.metadata:
                fields.metadata.append(try MetadataEntry.parse(value))
            default:
                if tag & TLV.mustUnderstand != 0 {
                    throw FieldError("CALL field 0x\(hex(tag)) is marked must-understand and is not known")
                }
            }
        }
        guard seen.contains(Tag.method) else {
            throw FieldError("CALL field 0x8001 (method) is missing")
        }
        guard Self.hasSlash(fields.method) else {
            throw FieldError("CALL field 0x8001 (method) must be <package>.<Service>/<Method>, got \"\(fields.method)\"")
        }
        return fields
    }

    /// An invalid traceparent is ignored, as W3C Trace Context says (WIRE.md §5.2).
    private static func parseTraceParent(_ value: ByteBuffer) -> TraceParent? {
        var value = value
        guard value.readableBytes == TraceParent.encodedSize,
            value.readInteger(as: UInt8.self) == 0,
            let high = value.readInteger(as: UInt64.self),
            let low = value.readInteger(as: UInt64.self),
            let parent = value.readInteger(as: UInt64.self),
            let flags = value.readInteger(as: UInt8.self)
        else { return nil }
        let traceID = TraceID(high: high, low: low)
        guard !traceID.isZero, parent != 0 else { return nil }
        return TraceParent(traceID: traceID, parentID: parent, flags: flags)
    }

    private static func parseSaga(_ value: ByteBuffer) throws(FieldError) -> SagaContext {
        let field = "CALL field 0x8004 (saga context)"
        var value = value
        guard let idLength = value.readInteger(as: UInt8.self),
            let id = value.readSlice(length: Int(idLength)),
            let stepLength = value.readInteger(as: UInt8.self),
            let step = value.readSlice(length: Int(stepLength)),
            let rawDirection = value.readInteger(as: UInt8.self),
            let attempt = value.readInteger(as: UInt16.self),
            value.readableBytes == 0
        else {
            throw FieldError("\(field) is malformed: expected saga_len, saga id, step_len, step, direction u8, attempt u16")
        }
        try Self.checkSaga(sagaIDLength: Int(idLength), stepLength: Int(stepLength), attempt: attempt)
        guard let direction = SagaDirection(rawValue: rawDirection) else {
            throw FieldError("\(field): direction \(rawDirection) is not 0 or 1")
        }
        return SagaContext(
            sagaID: try TLV.string(id, field: "\(field) saga id", allowed: 1...WireProtocol.maxSagaIDLength),
            step: try TLV.string(step, field: "\(field) step", allowed: 1...WireProtocol.maxStepLength),
            direction: direction,
            attempt: attempt
        )
    }

    private static func checkSaga(sagaIDLength: Int, stepLength: Int, attempt: UInt16) throws(FieldError) {
        let field = "CALL field 0x8004 (saga context)"
        guard (1...WireProtocol.maxSagaIDLength).contains(sagaIDLength) else {
            throw FieldError("\(field): saga id must be 1–\(WireProtocol.maxSagaIDLength) bytes, got \(sagaIDLength)")
        }
        guard (1...WireProtocol.maxStepLength).contains(stepLength) else {
            throw FieldError("\(field): step must be 1–\(WireProtocol.maxStepLength) bytes, got \(stepLength)")
        }
        guard attempt >= 1 else {
            throw FieldError("\(field): attempt must be at least 1")
        }
    }
}

extension MetadataEntry {
    /// The bytes ``write(_:to:)`` appends for `entries`.
    static func encodedSize(_ entries: [MetadataEntry]) -> Int {
        entries.reduce(0) { $0 + 4 + 1 + $1.key.utf8.count + $1.value.count }
    }

    /// Appends entries as 0x1000 TLVs.
    static func write(_ entries: [MetadataEntry], to buffer: inout ByteBuffer) {
        for entry in entries {
            buffer.writeInteger(CallFields.Tag.metadata)
            buffer.writeInteger(UInt16(1 + entry.key.utf8.count + entry.value.count))
            buffer.writeInteger(UInt8(entry.key.utf8.count))
            buffer.writeString(entry.key)
            buffer.writeBytes(entry.value)
        }
    }

    /// Parses one 0x1000 TLV value.
    static func parse(_ value: ByteBuffer) throws(FieldError) -> MetadataEntry {
        var value = value
        guard let keyLength = value.readInteger(as: UInt8.self), let keyBytes = value.readBytes(length: Int(keyLength)) else {
            throw FieldError("metadata entry (0x1000) is truncated")
        }
        guard let key = String(validating: keyBytes, as: UTF8.self) else {
            throw FieldError("metadata key is not UTF-8")
        }
        let bytes = value.readBytes(length: value.readableBytes) ?? []
        try MetadataEntry.validate(key: key, value: bytes)
        return MetadataEntry(key: key, value: bytes)
    }
}

/// The tags a TLV block has had so far, without allocating for the fields version 1 knows
/// (this runs for every call).
struct SeenTags {
    private var known: UInt8 = 0
    private var others: Set<UInt16> = []

    /// Adds `tag`; `false` if it was there already.
    mutating func insert(_ tag: UInt16) -> Bool {
        guard let bit = Self.bit(tag) else { return self.others.insert(tag).inserted }
        defer { self.known |= bit }
        return self.known & bit == 0
    }

    func contains(_ tag: UInt16) -> Bool {
        guard let bit = Self.bit(tag) else { return self.others.contains(tag) }
        return self.known & bit != 0
    }

    /// CALL tags 1–6 (must-understand bit aside) get a bit each.
    private static func bit(_ tag: UInt16) -> UInt8? {
        let number = tag & ~TLV.mustUnderstand
        guard (1...6).contains(number), tag == CallFields.Tag.all[Int(number) - 1] else { return nil }
        return 1 << UInt8(number)
    }
}
