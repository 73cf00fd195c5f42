import AftercareWire
import NIOCore
import Testing

/// The HELLO and CALL field tables of WIRE.md §5.1, §5.2 and the limits of §11, against the code.
@Suite("Field tables and limits match WIRE.md")
struct WireSpecFieldTablesTests {
    let spec: WireSpecDocument

    init() throws {
        self.spec = try WireSpecDocument()
    }

    static let helloTags: [String: UInt16] = [
        "protocol version": HelloFields.Tag.version,
        "max frame size": HelloFields.Tag.maxFrameSize,
        "max message size": HelloFields.Tag.maxMessageSize,
        "max metadata size": HelloFields.Tag.maxMetadataSize,
        "max concurrent calls": HelloFields.Tag.maxConcurrentCalls,
        "initial stream window": HelloFields.Tag.initialStreamWindow,
        "peer name": HelloFields.Tag.peerName,
        "build": HelloFields.Tag.build,
    ]

    static let helloDefaults: [String: UInt32] = [
        "max frame size": WireLimits.defaults.maxFrameSize,
        "max message size": WireLimits.defaults.maxMessageSize,
        "max metadata size": WireLimits.defaults.maxMetadataSize,
        "max concurrent calls": WireLimits.defaults.maxConcurrentCalls,
        "initial stream window": WireLimits.defaults.initialStreamWindow,
    ]

    static let helloRanges: [String: ClosedRange<UInt32>] = [
        "max frame size": WireLimits.frameSizeRange,
        "max message size": WireLimits.messageSizeRange,
        "max metadata size": WireLimits.metadataSizeRange,
    ]

    /// Limits with one field set, for checking `validate()` against a documented bound.
    static func limits(_ field: String, _ value: UInt32) -> WireLimits {
        var limits = WireLimits.defaults
        switch field {
        case "max frame size": limits.maxFrameSize = value
        case "max message size": limits.maxMessageSize = value
        case "max metadata size": limits.maxMetadataSize = value
        case "max concurrent calls": limits.maxConcurrentCalls = value
        case "initial stream window": limits.initialStreamWindow = value
        default: Issue.record("no limit named \(field)")
        }
        return limits
    }

    @Test("§5.1: each HELLO tag, default and range")
    func helloTable() throws {
        let rows = try self.spec.tableRows("5.1")
        #expect(rows.count == Self.helloTags.count)
        let absent = try HelloFields.parse(ByteBuffer(bytes: tlv(HelloFields.Tag.version, [1, 0])))
        for row in rows {
            let (field, value, fallback) = (row[1], row[2], row[3])
            let tag = try #require(Self.helloTags[field], "WIRE.md §5.1 names a field the test does not know: \(field)")
            #expect(specHex(row[0]) == UInt64(tag), "\(field)")

            if let expected = Self.helloDefaults[field] {
                #expect(specNumber(fallback) == UInt64(expected), "default of \(field)")
            } else if field == "peer name" || field == "build" {
                #expect(fallback == "empty")
                #expect((field == "peer name" ? absent.peerName : absent.build) == "")
                let bound = try #require(value.firstMatch(of: #/≤ (\d+) bytes/#), "no bound for \(field)")
                #expect(Int(bound.1) == WireProtocol.maxPeerNameLength)
            } else {
                #expect(field == "protocol version" && value.contains("required"))
            }

            if let range = value.firstMatch(of: #/([\d,]+) ≤ v ≤ ([\d,]+)/#) {
                let expected = try #require(Self.helloRanges[field], "no range in the code for \(field)")
                #expect(specNumber(range.1) == UInt64(expected.lowerBound), "lower bound of \(field)")
                #expect(specNumber(range.2) == UInt64(expected.upperBound), "upper bound of \(field)")
                #expect(throws: Never.self) { try Self.limits(field, expected.lowerBound).validate() }
                #expect(throws: Never.self) { try Self.limits(field, expected.upperBound).validate() }
                #expect(throws: WireError.self) { try Self.limits(field, expected.lowerBound - 1).validate() }
                #expect(throws: WireError.self) { try Self.limits(field, expected.upperBound + 1).validate() }
            } else if let minimum = value.firstMatch(of: #/`u32` ≥ (\d+)/#) {
                let bound = try #require(UInt32(minimum.1))
                #expect(throws: Never.self) { try Self.limits(field, bound).validate() }
                #expect(throws: WireError.self) { try Self.limits(field, bound - 1).validate() }
            } else {
                #expect(Self.helloRanges[field] == nil, "WIRE.md §5.1 gives no range for \(field)")
            }
        }
        #expect(absent.limits == .defaults)
    }

    static let callTags: [String: UInt16] = [
        "method": CallFields.Tag.method,
        "timeout": CallFields.Tag.timeout,
        "traceparent": CallFields.Tag.traceParent,
        "saga context": CallFields.Tag.saga,
        "idempotency key": CallFields.Tag.idempotencyKey,
        "actor": CallFields.Tag.actor,
        "metadata entry": CallFields.Tag.metadata,
    ]

    @Test("§5.2: each CALL tag and length limit")
    func callTable() throws {
        let rows = try self.spec.tableRows("5.2")
        #expect(rows.count == Self.callTags.count)
        var byField: [String: [String]] = [:]
        for row in rows {
            let tag = try #require(Self.callTags[row[1]], "WIRE.md §5.2 names a field the test does not know: \(row[1])")
            #expect(specHex(row[0]) == UInt64(tag), "\(row[1])")
            byField[row[1]] = row
        }
        let method = try #require(byField["method"]?[2].firstMatch(of: #/(\d+)–(\d+) bytes/#))
        #expect(Int(method.2) == WireProtocol.maxMethodLength)
        #expect(throws: FieldError.self) { try CallFields(method: String(repeating: "/", count: Int(method.1)! - 1)).validate() }
        #expect(throws: Never.self) { try CallFields(method: String(repeating: "/", count: Int(method.1)!)).validate() }

        let saga = try #require(byField["saga context"]?[2].matches(of: #/\(UTF-8, 1–(\d+) B\)/#).map { Int($0.1) })
        #expect(saga == [WireProtocol.maxSagaIDLength, WireProtocol.maxStepLength])
        #expect(byField["saga context"]?[2].contains("`attempt u16` (≥ 1)") == true)

        let key = try #require(byField["idempotency key"]?[2].firstMatch(of: #/UTF-8, 1–(\d+) bytes/#))
        #expect(Int(key.1) == WireProtocol.maxIdempotencyKeyLength)
        let actor = try #require(byField["actor"]?[2].firstMatch(of: #/UTF-8, 1–(\d+) bytes/#))
        #expect(Int(actor.1) == WireProtocol.maxActorLength)

        let timeout = try #require(byField["timeout"]?[3].firstMatch(of: #/the server's default \((\d+) s\)/#))
        #expect(Int(timeout.1) == WireProtocol.defaultServerTimeoutSeconds)

        #expect(byField["traceparent"]?[2].hasPrefix("\(TraceParent.encodedSize) bytes") == true)

        let defaultKey = try #require(byField["idempotency key"]?[3].firstMatch(of: #/`<saga id>/<step>/<(\w+)\\\|(\w+)>`/#))
        let saga0 = SagaContext(sagaID: "s", step: "t", direction: .forward)
        let saga1 = SagaContext(sagaID: "s", step: "t", direction: .compensate)
        #expect(saga0.defaultIdempotencyKey == "s/t/\(defaultKey.1)")
        #expect(saga1.defaultIdempotencyKey == "s/t/\(defaultKey.2)")
    }

    @Test("§5.2: metadata key length and reserved keys")
    func metadataKeys() throws {
        let length = try self.spec.first(#/Keys are 1–(\d+) bytes of `a-z 0-9 - _ \.`/#, in: "5.2", "the metadata key length")
        #expect(Int(length.1) == WireProtocol.maxMetadataKeyLength)

        let sentence = try self.spec.first(#/The keys ((?:`[^`]+`,? )+)and every\s+key starting with `([^`]+)` are \*\*reserved\*\*/#, in: "5.2", "the reserved keys")
        let keys = Set(sentence.1.matches(of: #/`([^`]+)`/#).map { String($0.1) })
        #expect(keys == MetadataEntry.reservedKeys)
        #expect(keys.count == 3)
        let prefix = String(sentence.2)
        #expect(prefix == "saga-")
        #expect(MetadataEntry.isReserved(prefix + "anything"))
        #expect(!MetadataEntry.isReserved("saga"))
        for key in keys {
            #expect(MetadataEntry.isReserved(key))
        }
    }

    @Test("§11: the limits table")
    func limitsTable() throws {
        var byLimit: [String: String] = [:]
        for row in try self.spec.tableRows("11") {
            byLimit[row[0]] = row[1]
        }
        let frame = try #require(byLimit["frame size (`length`)"]?.firstMatch(of: #/^([\d,]+) B \(cap ([\d,]+)\)$/#))
        #expect(specNumber(frame.1) == UInt64(WireLimits.defaults.maxFrameSize))
        #expect(specNumber(frame.2) == UInt64(WireLimits.frameSizeRange.upperBound))
        let message = try #require(byLimit["message size (after joining fragments)"]?.firstMatch(of: #/^([\d,]+) B \(cap ([\d,]+)\)$/#))
        #expect(specNumber(message.1) == UInt64(WireLimits.defaults.maxMessageSize))
        #expect(specNumber(message.2) == UInt64(WireLimits.messageSizeRange.upperBound))
        let metadata = try #require(byLimit["metadata size (`ext_len` of CALL or END)"]?.firstMatch(of: #/^([\d,]+) B$/#))
        #expect(specNumber(metadata.1) == UInt64(WireLimits.defaults.maxMetadataSize))
        #expect(specNumber(byLimit["concurrent calls per connection"] ?? "") == UInt64(WireLimits.defaults.maxConcurrentCalls))
        #expect(byLimit["method name"] == "\(WireProtocol.maxMethodLength) B")
        let lengths = [WireProtocol.maxIdempotencyKeyLength, WireProtocol.maxActorLength, WireProtocol.maxSagaIDLength, WireProtocol.maxStepLength]
        #expect(byLimit["idempotency key, actor, saga id, step"] == lengths.map(String.init).joined(separator: ", ") + " B")
        #expect(byLimit["HELLO wait"] == "\(WireProtocol.helloTimeoutSeconds) s")

        let fallback = try self.spec.first(#/within the default,\s+([\d,]+) bytes/#, in: "3", "the frame size before HELLO")
        #expect(specNumber(fallback.1) == UInt64(FrameDecoder(expectPreface: true).maxFrameSize))
    }
}
