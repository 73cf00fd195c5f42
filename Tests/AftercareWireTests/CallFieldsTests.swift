import AftercareWire
import NIOCore
import Testing

/// CALL fields (WIRE.md §5, §5.2): writing, parsing, and the error that names the bad field.
@Suite("CallFields")
struct CallFieldsTests {
    static let method = tlv(0x8001, "aftercare.echo.v1.Echo/Say")

    static func parse(_ block: [UInt8]) throws(FieldError) -> CallFields {
        try CallFields.parse(ByteBuffer(bytes: block))
    }

    static func written(_ fields: CallFields) -> ByteBuffer {
        var buffer = ByteBuffer()
        fields.write(to: &buffer)
        return buffer
    }

    /// The tags of a block, in order.
    static func tags(_ block: ByteBuffer) throws -> [UInt16] {
        var tags: [UInt16] = []
        try TLV.forEach(in: block) { (tag: UInt16, _: ByteBuffer) throws(FieldError) in tags.append(tag) }
        return tags
    }

    // MARK: Round trips

    static let roundTrips: [CallFields] = [
        CallFields(method: "a.B/C"),
        FrameVector.callFields,
        CallFields(
            method: "orders.v1.Orders/Compensate",
            timeoutMicros: 0,
            traceParent: TraceParent(traceID: TraceID(high: 0, low: 1), parentID: 1, flags: 0),
            saga: SagaContext(sagaID: String(repeating: "s", count: 128), step: String(repeating: "t", count: 128), direction: .compensate, attempt: .max),
            actor: String(repeating: "a", count: 255),
            metadata: [
                MetadataEntry(key: "x", value: ""),
                MetadataEntry(key: "x", value: "second"),
                MetadataEntry(key: "blob-bin", value: [0xFF, 0xFE, 0x00]),
                MetadataEntry(key: String(repeating: "k", count: 64), value: "ü"),
            ]
        ),
        CallFields(method: "m.S/" + String(repeating: "M", count: 251), timeoutMicros: .max, idempotencyKey: String(repeating: "i", count: 255)),
    ]

    @Test("write then parse gives the same fields", arguments: roundTrips)
    func roundTrip(_ fields: CallFields) throws {
        #expect(throws: Never.self) { try fields.validate() }
        #expect(try CallFields.parse(Self.written(fields)) == fields)
    }

    @Test("the encoded size is the size written, so the block is allocated once", arguments: roundTrips)
    func encodedSize(_ fields: CallFields) {
        let encoded = fields.encoded()
        #expect(encoded.readableBytes == fields.encodedSize)
        #expect(encoded.capacity == ByteBufferAllocator().buffer(capacity: fields.encodedSize).capacity)
        #expect(encoded == Self.written(fields))
    }

    @Test("fields are written in the order of the §5.2 table")
    func writeOrder() throws {
        var fields = FrameVector.callFields
        fields.metadata.append(MetadataEntry(key: "second", value: "2"))
        #expect(try Self.tags(Self.written(fields)) == [0x8001, 0x8002, 0x0003, 0x8004, 0x8005, 0x0006, 0x1000, 0x1000])
    }

    @Test("a method-only block is one TLV")
    func methodOnlyBytes() {
        #expect(Array(Self.written(CallFields(method: "a.B/C")).readableBytesView) == [0x80, 0x01, 0x00, 0x05] + Array("a.B/C".utf8))
    }

    @Test("TLVs are accepted in any order")
    func anyOrder() throws {
        let block = Self.written(FrameVector.callFields)
        var tlvs: [[UInt8]] = []
        try TLV.forEach(in: block) { (tag: UInt16, value: ByteBuffer) throws(FieldError) in
            tlvs.append(tlv(tag, Array(value.readableBytesView)))
        }
        #expect(try Self.parse(tlvs.reversed().flatMap { $0 }) == FrameVector.callFields)
    }

    @Test("an unknown tag without bit 15 is skipped", arguments: [UInt16(0x0009), 0x0100, 0x7FFF])
    func unknownNonCriticalSkipped(_ tag: UInt16) throws {
        let fields = try Self.parse(tlv(tag, [1, 2, 3]) + Self.method + tlv(tag ^ 0x0010, []))
        #expect(fields == CallFields(method: "aftercare.echo.v1.Echo/Say"))
    }

    @Test("a timeout of 0 (already expired) is kept, not treated as absent")
    func zeroTimeout() throws {
        #expect(try Self.parse(Self.method + tlv(0x8002, bigEndian(UInt64(0)))).timeoutMicros == 0)
        #expect(try Self.parse(Self.method).timeoutMicros == nil)
    }

    // MARK: Field errors

    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var block: [UInt8]
        var mentions: [String]
        var testDescription: String { self.name }
    }

    static func saga(id: [UInt8] = Array("sg".utf8), step: [UInt8] = Array("st".utf8), direction: UInt8 = 0, attempt: UInt16 = 1) -> [UInt8] {
        tlv(0x8004, [UInt8(id.count)] + id + [UInt8(step.count)] + step + [direction] + bigEndian(attempt))
    }

    static func metadata(_ key: String, _ value: [UInt8] = Array("v".utf8)) -> [UInt8] {
        tlv(0x1000, [UInt8(key.utf8.count)] + Array(key.utf8) + value)
    }

    static let failures: [Failure] = [
        Failure(name: "empty block: method missing", block: [], mentions: ["0x8001", "missing"]),
        Failure(name: "method missing", block: tlv(0x8002, bigEndian(UInt64(5))) + tlv(0x0006, "me"), mentions: ["0x8001", "missing"]),
        Failure(name: "method without '/'", block: tlv(0x8001, "aftercare.echo.v1.Echo.Say"), mentions: ["0x8001", "<package>.<Service>/<Method>"]),
        Failure(name: "method of 2 bytes", block: tlv(0x8001, "a/"), mentions: ["0x8001", "3–255", "got 2"]),
        Failure(name: "method of 256 bytes", block: tlv(0x8001, "a/" + String(repeating: "b", count: 254)), mentions: ["0x8001", "got 256"]),
        Failure(name: "method not UTF-8", block: tlv(0x8001, [0x61, 0x2F, 0xFF, 0xFE]), mentions: ["0x8001", "UTF-8"]),
        Failure(name: "method twice", block: method + method, mentions: ["0x8001", "twice"]),
        Failure(name: "timeout twice", block: method + tlv(0x8002, bigEndian(UInt64(1))) + tlv(0x8002, bigEndian(UInt64(1))), mentions: ["0x8002", "twice"]),
        Failure(name: "actor twice", block: tlv(0x0006, "a") + method + tlv(0x0006, "a"), mentions: ["0x0006", "twice"]),
        Failure(name: "unknown must-understand 0x8009", block: method + tlv(0x8009, [1]), mentions: ["0x8009", "must-understand"]),
        Failure(name: "unknown must-understand 0xffff", block: tlv(0xFFFF, []) + method, mentions: ["0xffff"]),
        Failure(name: "timeout of 4 bytes", block: method + tlv(0x8002, bigEndian(UInt32(5))), mentions: ["0x8002", "8 bytes", "got 4"]),
        Failure(name: "saga direction 7", block: method + saga(direction: 7), mentions: ["CALL field 0x8004 (saga context): direction 7 is not 0 or 1"]),
        Failure(name: "saga attempt 0", block: method + saga(attempt: 0), mentions: ["0x8004", "attempt"]),
        Failure(name: "saga id of 129 bytes", block: method + saga(id: Array(repeating: 0x73, count: 129)), mentions: ["0x8004", "saga id", "1–128", "129"]),
        Failure(name: "empty saga id", block: method + saga(id: []), mentions: ["0x8004", "saga id", "got 0"]),
        Failure(name: "step of 129 bytes", block: method + saga(step: Array(repeating: 0x74, count: 129)), mentions: ["0x8004", "step", "129"]),
        Failure(name: "empty step", block: method + saga(step: []), mentions: ["0x8004", "step", "got 0"]),
        Failure(name: "saga id not UTF-8", block: method + saga(id: [0xC3]), mentions: ["0x8004", "UTF-8"]),
        Failure(name: "saga with a trailing byte", block: method + tlv(0x8004, [2, 0x73, 0x67, 2, 0x73, 0x74, 0, 0, 1, 0]), mentions: ["0x8004", "malformed"]),
        Failure(name: "saga without attempt", block: method + tlv(0x8004, [2, 0x73, 0x67, 2, 0x73, 0x74, 0]), mentions: ["0x8004", "malformed"]),
        Failure(name: "empty idempotency key", block: method + tlv(0x8005, []), mentions: ["0x8005", "1–255"]),
        Failure(name: "idempotency key of 256 bytes", block: method + tlv(0x8005, String(repeating: "k", count: 256)), mentions: ["0x8005", "256"]),
        Failure(name: "actor of 256 bytes", block: method + tlv(0x0006, String(repeating: "a", count: 256)), mentions: ["0x0006", "256"]),
        Failure(name: "TLV header cut short", block: method + [0x00, 0x06, 0x00], mentions: ["truncated"]),
        Failure(name: "TLV value runs past the block", block: method + [0x00, 0x06, 0x00, 0x0A, 0x61, 0x62, 0x63], mentions: ["0x0006", "runs past the end"]),
        Failure(name: "metadata key runs past the entry", block: method + tlv(0x1000, [10, 0x61, 0x62]), mentions: ["0x1000", "truncated"]),
        Failure(name: "empty metadata TLV", block: method + tlv(0x1000, []), mentions: ["0x1000", "truncated"]),
        Failure(name: "reserved key traceparent", block: method + metadata("traceparent"), mentions: ["\"traceparent\"", "reserved"]),
        Failure(name: "reserved key actor", block: method + metadata("actor"), mentions: ["\"actor\"", "reserved"]),
        Failure(name: "reserved key idempotency-key", block: method + metadata("idempotency-key"), mentions: ["\"idempotency-key\"", "reserved"]),
        Failure(name: "reserved key saga-x", block: method + metadata("saga-x"), mentions: ["\"saga-x\"", "reserved"]),
        Failure(name: "reserved key saga-", block: method + metadata("saga-"), mentions: ["\"saga-\"", "reserved"]),
        Failure(name: "key with upper case", block: method + metadata("Tenant"), mentions: ["\"Tenant\"", "a-z 0-9 - _ ."]),
        Failure(name: "key with a space", block: method + metadata("ten ant"), mentions: ["\"ten ant\"", "a-z 0-9 - _ ."]),
        Failure(name: "key with a colon", block: method + metadata("x:y"), mentions: ["\"x:y\"", "a-z 0-9 - _ ."]),
        Failure(name: "key with non-ASCII", block: method + metadata("clé"), mentions: ["\"clé\"", "a-z 0-9 - _ ."]),
        Failure(name: "empty key", block: method + metadata(""), mentions: ["metadata key", "1–64", "got 0"]),
        Failure(name: "key of 65 bytes", block: method + metadata(String(repeating: "k", count: 65)), mentions: ["metadata key", "got 65"]),
        Failure(name: "key not UTF-8", block: method + tlv(0x1000, [1, 0xFF, 0x61]), mentions: ["metadata key", "UTF-8"]),
        Failure(name: "non-UTF-8 value on a text key", block: method + metadata("tenant", [0xFF, 0xFE]), mentions: ["\"tenant\"", "not UTF-8", "-bin"]),
        Failure(name: "non-UTF-8 value on a key containing -bin", block: method + metadata("x-bin-y", [0xC0]), mentions: ["\"x-bin-y\"", "not UTF-8"]),
    ]

    @Test("a bad block fails with a FieldError naming the field", arguments: failures)
    func rejects(_ failure: Failure) {
        let error = #expect(throws: FieldError.self) { try Self.parse(failure.block) }
        for fragment in failure.mentions {
            #expect(error?.message.contains(fragment) == true, "\"\(error?.message ?? "")\" does not mention \"\(fragment)\"")
        }
    }

    @Test("any bytes are accepted as the value of a -bin key")
    func binaryValueOnBinKey() throws {
        let value: [UInt8] = [0xFF, 0xFE, 0x00, 0xC3]
        let fields = try Self.parse(Self.method + Self.metadata("payload-bin", value) + Self.metadata("-bin", [0x80]))
        #expect(fields.metadata == [MetadataEntry(key: "payload-bin", value: value), MetadataEntry(key: "-bin", value: [0x80])])
    }

    @Test("metadata entries may repeat and keep their order and keys of every allowed character")
    func repeatedMetadata() throws {
        let fields = try Self.parse(Self.metadata("k", Array("1".utf8)) + Self.method + Self.metadata("a-z_0.9", []) + Self.metadata("k", Array("2".utf8)))
        #expect(fields.metadata == [MetadataEntry(key: "k", value: "1"), MetadataEntry(key: "a-z_0.9", value: ""), MetadataEntry(key: "k", value: "2")])
    }

    // MARK: Traceparent

    static func traceparent(version: UInt8 = 0, high: UInt64 = 0x4BF9_2F35_77B3_4DA6, low: UInt64 = 0xA3CE_929D_0E0E_4736, parent: UInt64 = 0x00F0_67AA_0BA9_02B7, flags: UInt8 = 1) -> [UInt8] {
        [version] + bigEndian(high) + bigEndian(low) + bigEndian(parent) + [flags]
    }

    struct BadTraceparent: Sendable, CustomTestStringConvertible {
        var name: String
        var value: [UInt8]
        var testDescription: String { self.name }
    }

    static let badTraceparents: [BadTraceparent] = [
        BadTraceparent(name: "version 1", value: traceparent(version: 1)),
        BadTraceparent(name: "version 0xff", value: traceparent(version: 0xFF)),
        BadTraceparent(name: "zero trace id", value: traceparent(high: 0, low: 0)),
        BadTraceparent(name: "zero parent id", value: traceparent(parent: 0)),
        BadTraceparent(name: "25 bytes", value: Array(traceparent().dropLast())),
        BadTraceparent(name: "27 bytes", value: traceparent() + [0]),
        BadTraceparent(name: "empty", value: []),
    ]

    @Test("an invalid traceparent is ignored, not an error", arguments: badTraceparents)
    func invalidTraceparentIgnored(_ bad: BadTraceparent) throws {
        let fields = try Self.parse(Self.method + tlv(0x0003, bad.value) + tlv(0x0006, "buyer:b_42"))
        #expect(fields.traceParent == nil)
        #expect(fields.actor == "buyer:b_42")
        #expect(fields.method == "aftercare.echo.v1.Echo/Say")
    }

    @Test("a valid traceparent is read, flags included")
    func validTraceparent() throws {
        let fields = try Self.parse(Self.method + tlv(0x0003, Self.traceparent(flags: 0)))
        let expected = TraceParent(traceID: TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736")!, parentID: 0x00F0_67AA_0BA9_02B7, flags: 0)
        #expect(fields.traceParent == expected)
        #expect(expected.description == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
    }

    // MARK: Idempotency key

    @Test("without an idempotency key a saga step's key is <saga>/<step>/<direction>")
    func defaultIdempotencyKey() throws {
        let forward = try Self.parse(Self.method + Self.saga(id: Array("sg_01".utf8), step: Array("reserve".utf8), direction: 0, attempt: 3))
        #expect(forward.idempotencyKey == nil)
        #expect(forward.effectiveIdempotencyKey == "sg_01/reserve/forward")

        let compensate = try Self.parse(Self.method + Self.saga(id: Array("sg_01".utf8), step: Array("reserve".utf8), direction: 1))
        #expect(compensate.saga?.direction == .compensate)
        #expect(compensate.effectiveIdempotencyKey == "sg_01/reserve/compensate")
    }

    @Test("an explicit idempotency key wins; no saga and no key means none")
    func explicitIdempotencyKey() throws {
        let explicit = try Self.parse(Self.method + Self.saga() + tlv(0x8005, "order-17"))
        #expect(explicit.effectiveIdempotencyKey == "order-17")
        #expect(try Self.parse(Self.method).effectiveIdempotencyKey == nil)
        #expect(CallFields(method: "a.B/C", idempotencyKey: "k").effectiveIdempotencyKey == "k")
    }

    // MARK: validate()

    static let invalidToSend: [CallFields] = [
        CallFields(method: "noslash"),
        CallFields(method: "a/"),
        CallFields(method: "a.B/C", saga: SagaContext(sagaID: "", step: "s")),
        CallFields(method: "a.B/C", saga: SagaContext(sagaID: "s", step: "s", attempt: 0)),
        CallFields(method: "a.B/C", idempotencyKey: ""),
        CallFields(method: "a.B/C", actor: String(repeating: "a", count: 256)),
        CallFields(method: "a.B/C", metadata: [MetadataEntry(key: "actor", value: "x")]),
        CallFields(method: "a.B/C", metadata: [MetadataEntry(key: "text", value: [0xFF])]),
    ]

    @Test("validate() refuses what a receiver would refuse", arguments: invalidToSend)
    func validateRefuses(_ fields: CallFields) {
        #expect(throws: FieldError.self) { try fields.validate() }
    }
}
