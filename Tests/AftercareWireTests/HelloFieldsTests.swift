import AftercareWire
import NIOCore
import Testing

/// HELLO fields (WIRE.md §5, §5.1): writing, parsing, defaults; errors are PROTOCOL_ERRORs.
@Suite("HelloFields")
struct HelloFieldsTests {
    static let version = tlv(0x8001, [1, 0])

    static func parse(_ block: [UInt8]) throws(WireError) -> HelloFields {
        try HelloFields.parse(ByteBuffer(bytes: block))
    }

    static func written(_ fields: HelloFields) -> ByteBuffer {
        var buffer = ByteBuffer()
        fields.write(to: &buffer)
        return buffer
    }

    static let roundTrips: [HelloFields] = [
        HelloFields(peerName: "", build: ""),
        HelloFields(version: ProtocolVersion(major: 1, minor: 7), peerName: "aftercare-orders", build: "2024.06.1+g1a2b3c"),
        HelloFields(
            version: ProtocolVersion(major: 2, minor: 0),
            limits: WireLimits(maxFrameSize: 16_384, maxMessageSize: 16_777_216, maxMetadataSize: 65_535, maxConcurrentCalls: 1, initialStreamWindow: .max),
            peerName: String(repeating: "p", count: 255),
            build: "ビルド"
        ),
    ]

    @Test("write then parse gives the same fields", arguments: roundTrips)
    func roundTrip(_ fields: HelloFields) throws {
        #expect(try HelloFields.parse(Self.written(fields)) == fields)
    }

    @Test("every field is written, in the order of the §5.1 table")
    func writeOrder() throws {
        var tags: [UInt16] = []
        try TLV.forEach(in: Self.written(HelloFields(peerName: "p", build: "b"))) { (tag: UInt16, _: ByteBuffer) throws(FieldError) in tags.append(tag) }
        #expect(tags == [0x8001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008])
    }

    @Test("the version is written as major u8, minor u8")
    func versionBytes() {
        let block = Self.written(HelloFields(version: ProtocolVersion(major: 3, minor: 9), peerName: "", build: ""))
        #expect(Array(block.readableBytesView.prefix(6)) == [0x80, 0x01, 0x00, 0x02, 3, 9])
    }

    @Test("absent limit tags take the §5.1 defaults; absent names are empty")
    func defaults() throws {
        let fields = try Self.parse(Self.version)
        #expect(fields.version == ProtocolVersion(major: 1, minor: 0))
        #expect(fields.limits == .defaults)
        #expect(fields.limits.maxFrameSize == 1_048_576)
        #expect(fields.limits.maxMessageSize == 4_194_304)
        #expect(fields.limits.maxMetadataSize == 8_192)
        #expect(fields.limits.maxConcurrentCalls == 1_024)
        #expect(fields.limits.initialStreamWindow == 16)
        #expect(fields.peerName == "")
        #expect(fields.build == "")
    }

    @Test("a present tag overrides only its own default")
    func partialLimits() throws {
        let fields = try Self.parse(tlv(0x0006, bigEndian(UInt32(64))) + Self.version + tlv(0x0007, "svc"))
        var expected = WireLimits.defaults
        expected.initialStreamWindow = 64
        #expect(fields.limits == expected)
        #expect(fields.peerName == "svc")
    }

    @Test("an unknown tag without bit 15 is skipped")
    func unknownNonCriticalSkipped() throws {
        #expect(try Self.parse(Self.version + tlv(0x0009, [1, 2]) + tlv(0x1000, [])) == Self.parse(Self.version))
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var block: [UInt8]
        var mentions: [String]
        var testDescription: String { self.name }
    }

    static let failures: [Failure] = [
        Failure(name: "empty block", block: [], mentions: ["0x8001", "missing"]),
        Failure(name: "version missing", block: tlv(0x0002, bigEndian(UInt32(65_536))) + tlv(0x0007, "x"), mentions: ["0x8001", "missing"]),
        Failure(name: "unknown must-understand 0x8009", block: version + tlv(0x8009, []), mentions: ["0x8009", "must-understand"]),
        Failure(name: "unknown must-understand 0x8002", block: version + tlv(0x8002, [0]), mentions: ["0x8002"]),
        Failure(name: "version of 1 byte", block: tlv(0x8001, [1]), mentions: ["0x8001", "2 bytes"]),
        Failure(name: "version of 3 bytes", block: tlv(0x8001, [1, 0, 0]), mentions: ["0x8001", "2 bytes"]),
        Failure(name: "version twice", block: version + version, mentions: ["0x8001", "twice"]),
        Failure(name: "max frame size twice", block: version + tlv(0x0002, bigEndian(UInt32(16_384))) + tlv(0x0002, bigEndian(UInt32(16_384))), mentions: ["0x0002", "twice"]),
        Failure(name: "max frame size of 2 bytes", block: version + tlv(0x0002, bigEndian(UInt16(16_384))), mentions: ["0x0002", "max frame size", "4 bytes"]),
        Failure(name: "max message size of 8 bytes", block: version + tlv(0x0003, bigEndian(UInt64(16_384))), mentions: ["0x0003", "max message size"]),
        Failure(name: "max metadata size of 0 bytes", block: version + tlv(0x0004, []), mentions: ["0x0004"]),
        Failure(name: "max concurrent calls of 1 byte", block: version + tlv(0x0005, [1]), mentions: ["0x0005"]),
        Failure(name: "initial stream window of 3 bytes", block: version + tlv(0x0006, [0, 0, 1]), mentions: ["0x0006"]),
        Failure(name: "peer name of 256 bytes", block: version + tlv(0x0007, String(repeating: "p", count: 256)), mentions: ["0x0007", "peer name", "256"]),
        Failure(name: "build of 256 bytes", block: version + tlv(0x0008, String(repeating: "b", count: 256)), mentions: ["0x0008", "build", "256"]),
        Failure(name: "peer name not UTF-8", block: version + tlv(0x0007, [0xFF]), mentions: ["0x0007", "UTF-8"]),
        Failure(name: "TLV runs past the block", block: version + [0x00, 0x07, 0x00, 0x05, 0x61], mentions: ["0x0007", "runs past the end"]),
        Failure(name: "TLV header cut short", block: version + [0x00], mentions: ["truncated"]),
    ]

    @Test("a bad block is a PROTOCOL_ERROR naming the field", arguments: failures)
    func rejects(_ failure: Failure) {
        let error = #expect(throws: WireError.self) { try Self.parse(failure.block) }
        #expect(error?.code == .protocolError)
        for fragment in failure.mentions {
            #expect(error?.message.contains(fragment) == true, "\"\(error?.message ?? "")\" does not mention \"\(fragment)\"")
        }
    }

    @Test("another major version still parses: the caller compares versions")
    func otherMajorParses() throws {
        #expect(try Self.parse(tlv(0x8001, [2, 5])).version == ProtocolVersion(major: 2, minor: 5))
        #expect(ProtocolVersion(major: 2, minor: 5).description == "2.5")
    }

    // MARK: WireLimits.validate()

    struct Limits: Sendable, CustomTestStringConvertible {
        var name: String
        var limits: WireLimits
        /// `nil` when the limits are valid; otherwise what the error names.
        var mentions: String?
        var testDescription: String { self.name }
    }

    static let limitCases: [Limits] = [
        Limits(name: "defaults", limits: .defaults),
        Limits(name: "every lower bound", limits: WireLimits(maxFrameSize: 16_384, maxMessageSize: 16_384, maxMetadataSize: 1_024, maxConcurrentCalls: 1, initialStreamWindow: 1)),
        Limits(name: "every upper bound", limits: WireLimits(maxFrameSize: 16_777_216, maxMessageSize: 16_777_216, maxMetadataSize: 65_535, maxConcurrentCalls: .max, initialStreamWindow: .max)),
        Limits(name: "frame size 16,383", limits: WireLimits(maxFrameSize: 16_383), mentions: "max frame size 16383"),
        Limits(name: "frame size 16,777,217", limits: WireLimits(maxFrameSize: 16_777_217), mentions: "max frame size 16777217"),
        Limits(name: "frame size 0", limits: WireLimits(maxFrameSize: 0), mentions: "max frame size"),
        Limits(name: "message size 16,383", limits: WireLimits(maxMessageSize: 16_383), mentions: "max message size 16383"),
        Limits(name: "message size 16,777,217", limits: WireLimits(maxMessageSize: 16_777_217), mentions: "max message size 16777217"),
        Limits(name: "metadata size 1,023", limits: WireLimits(maxMetadataSize: 1_023), mentions: "max metadata size 1023"),
        Limits(name: "metadata size 65,536", limits: WireLimits(maxMetadataSize: 65_536), mentions: "max metadata size 65536"),
        Limits(name: "concurrent calls 0", limits: WireLimits(maxConcurrentCalls: 0), mentions: "max concurrent calls"),
        Limits(name: "stream window 0", limits: WireLimits(initialStreamWindow: 0), mentions: "initial stream window"),
    ]

    @Test("WireLimits.validate() accepts the §5.1 ranges and names the first value outside them", arguments: limitCases)
    func validateLimits(_ testCase: Limits) {
        if let fragment = testCase.mentions {
            let error = #expect(throws: WireError.self) { try testCase.limits.validate() }
            #expect(error?.code == .protocolError)
            #expect(error?.message.contains(fragment) == true, "\"\(error?.message ?? "")\" does not mention \"\(fragment)\"")
        } else {
            #expect(throws: Never.self) { try testCase.limits.validate() }
        }
    }
}
