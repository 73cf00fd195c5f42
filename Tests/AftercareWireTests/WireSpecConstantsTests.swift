import AftercareWire
import NIOCore
import Testing

/// The numbers WIRE.md states, read from the document itself, against the ones the code uses.
@Suite("Constants match WIRE.md")
struct WireSpecConstantsTests {
    let spec: WireSpecDocument

    init() throws {
        self.spec = try WireSpecDocument()
    }

    @Test("§2.1: the preface bytes")
    func preface() throws {
        let match = try self.spec.first(#/``` ((?:[0-9a-f]{2} ){7}[0-9a-f]{2}) "AFTC" CR LF SUB LF ```/#, in: "2.1", "the preface bytes")
        let bytes = match.1.split(separator: " ").compactMap { UInt8($0, radix: 16) }
        #expect(bytes.count == 8)
        #expect(bytes == WireProtocol.preface)
        #expect(try self.spec.first(#/reads exactly (\d+) bytes/#, in: "2.1", "how many preface bytes the server reads").1 == "\(WireProtocol.preface.count)")
    }

    @Test("§12: the ALPN protocol id")
    func alpn() throws {
        let match = try self.spec.first(#/ALPN protocol id is \*\*`([^`]+)`\*\*/#, in: "12", "the ALPN id")
        #expect(String(match.1) == WireProtocol.alpnID)
        #expect(WireProtocol.alpnID == "aftercare/1")
    }

    @Test("§2.3 and the title: the current version")
    func version() throws {
        let current = try self.spec.first(#/currently \*\*(\d+)\.(\d+)\*\*/#, in: "2.3", "the current version")
        #expect(UInt8(current.1) == WireProtocol.version.major)
        #expect(UInt8(current.2) == WireProtocol.version.minor)
        let title = try #require(self.spec.text.firstMatch(of: #/^# The Aftercare wire protocol, version (\d+\.\d+)/#))
        #expect(String(title.1) == WireProtocol.version.description)
        #expect(WireProtocol.version.description == "1.0")
    }

    @Test("§2.2: the HELLO timeout")
    func helloTimeout() throws {
        let match = try self.spec.first(#/not arrived within (\d+) seconds/#, in: "2.2", "the HELLO timeout")
        #expect(Int(match.1) == WireProtocol.helloTimeoutSeconds)
    }

    @Test("§3: the header size")
    func headerSize() throws {
        let match = try self.spec.first(#/Every frame is a (\d+)-byte header/#, in: "3", "the header size")
        #expect(Int(match.1) == WireProtocol.headerSize)
        #expect(WireProtocol.headerSize == 12)
    }

    @Test("§3, §3.1: stream id bit 31 is reserved; the last client id is 2,147,483,647")
    func maxStreamID() throws {
        let match = try self.spec.first(#/The largest id is ([\d,]+)/#, in: "3.1", "the largest stream id")
        #expect(specNumber(match.1) == UInt64(WireProtocol.maxStreamID))
        #expect(try self.spec.section("3").contains("bit 31 MUST be 0"))
        #expect(WireProtocol.maxStreamID == (1 << 31) - 1)
    }

    @Test("§3.1: bit 6 marks connection frames; 0x80–0xFF are extensions")
    func frameClasses() throws {
        let bit = try self.spec.first(#/Bit 6 of `type` \(`(0x[0-9a-fA-F]+)`\) marks a \*\*connection frame\*\*/#, in: "3.1", "the connection-frame bit")
        let mask = try #require(specHex(bit.1))
        #expect(mask == 1 << 6)
        let range = try self.spec.first(#/Types `(0x[0-9A-F]+)`–`(0x[0-9A-F]+)` are \*\*extensions\*\*/#, in: "3.1", "the extension range")
        let low = try #require(specHex(range.1))
        let high = try #require(specHex(range.2))
        for raw in UInt8.min...UInt8.max {
            let type = FrameType(rawValue: raw)
            #expect(type.isConnectionFrame == (UInt64(raw) & mask != 0), "type 0x\(String(raw, radix: 16))")
            #expect(type.isExtension == (low...high).contains(UInt64(raw)), "type 0x\(String(raw, radix: 16))")
        }
    }

    static let frameTypesByName: [String: FrameType] = [
        "CALL": .call, "MESSAGE": .message, "END": .end, "CANCEL": .cancel, "CREDIT": .credit,
        "HELLO": .hello, "PING / PONG": .ping, "DRAIN": .drain, "CONN_ERROR": .connectionError,
    ]

    @Test("§4: each frame type's code, class and ext block")
    func frameTypes() throws {
        let rows = try self.spec.tableRows("4")
        #expect(rows.count == Self.frameTypesByName.count)
        var documented: Set<FrameType> = []
        for row in rows {
            let name = row[1]
            let type = try #require(Self.frameTypesByName[name], "WIRE.md §4 names a type the test does not know: \(name)")
            let code = try #require(specHex(row[0]), "no hex code in \(row)")
            #expect(UInt64(type.rawValue) == code, "\(name)")
            #expect(type.isKnown, "\(name)")
            #expect(name.hasPrefix(type.description), "\(name)")
            #expect(type.isConnectionFrame == (row[2] == "connection"), "\(name) class")
            #expect(type.hasExtBlock == (row[4] != "none"), "\(name) ext block")
            documented.insert(type)
        }
        #expect(documented.count == rows.count)
        for raw in UInt8.min...0x7F where !documented.contains(FrameType(rawValue: raw)) {
            #expect(!FrameType(rawValue: raw).isKnown, "0x\(String(raw, radix: 16)) is not in WIRE.md §4")
        }
    }

    static let flagsByName: [String: FrameFlags] = ["END_STREAM": .endStream, "COMPRESSED": .compressed, "MORE": .more, "ACK": .ack]

    @Test("§3.2: each flag's bit")
    func flags() throws {
        let rows = try self.spec.tableRows("3.2")
        #expect(rows.count == Self.flagsByName.count)
        for row in rows {
            let name = row[1].unquoted
            let flag = try #require(Self.flagsByName[name], "WIRE.md §3.2 names a flag the test does not know: \(name)")
            #expect(specHex(row[0]) == UInt64(flag.rawValue), "\(name)")
        }
    }

    static let connectionErrorsByName: [String: ConnectionErrorCode] = [
        "PROTOCOL_ERROR": .protocolError, "UNSUPPORTED_VERSION": .unsupportedVersion, "FRAME_TOO_LARGE": .frameTooLarge,
        "PEER_NOT_ALLOWED": .peerNotAllowed, "HELLO_TIMEOUT": .helloTimeout, "INTERNAL_ERROR": .internalError,
    ]

    @Test("§4.9: each CONN_ERROR code")
    func connectionErrorCodes() throws {
        let rows = try self.spec.tableRows("4.9")
        #expect(rows.count == Self.connectionErrorsByName.count)
        for row in rows {
            let name = row[1].unquoted
            let code = try #require(Self.connectionErrorsByName[name], "WIRE.md §4.9 names a code the test does not know: \(name)")
            let number = try #require(UInt16(row[0]))
            #expect(code.rawValue == number, "\(name)")
            #expect(ConnectionErrorCode(rawValue: number).description == name)
        }
    }

    @Test("§4.3: retry_after_ms 0xFFFFFFFF means no hint")
    func noRetryHint() throws {
        let match = try self.spec.first(#/`(0x[0-9A-Fa-f]+)` means no hint/#, in: "4.3", "the no-hint value")
        #expect(specHex(match.1) == UInt64(WireProtocol.noRetryHint))
        #expect(EndBody(status: 0, outcome: 1).retryAfterMs == WireProtocol.noRetryHint)
    }

    @Test("§5: bit 15 of a tag is must-understand")
    func mustUnderstand() throws {
        let match = try self.spec.first(#/Bit 15 \(`(0x[0-9a-fA-F]+)`\) is\s+\*\*must-understand\*\*/#, in: "5", "the must-understand bit")
        #expect(specHex(match.1) == UInt64(TLV.mustUnderstand))
        #expect(TLV.mustUnderstand == 1 << 15)
    }

    @Test("§4.4, §4.8, §5.2: cancel reasons, drain reasons and saga directions")
    func enumerations() throws {
        let cancel = try self.spec.first(#/the reason: (\d) ([a-z ]+), (\d) ([a-z ]+), (\d) ([a-z ]+)\./#, in: "4.4", "the cancel reasons")
        #expect(CancelReason(rawValue: UInt8(cancel.1)!) == .deadlineExceeded && cancel.2 == "deadline exceeded")
        #expect(CancelReason(rawValue: UInt8(cancel.3)!) == .cancelledByCaller && cancel.4 == "cancelled by the caller")
        #expect(CancelReason(rawValue: UInt8(cancel.5)!) == .shuttingDown && cancel.6 == "client shutting down")
        #expect(CancelReason(rawValue: 0) == nil && CancelReason(rawValue: 4) == nil)

        let drain = try self.spec.first(#/`reason` — (\d) ([a-z ]+), (\d) ([a-z ]+), (\d) ([a-z ]+) \|/#, in: "4.8", "the drain reasons")
        #expect(DrainReason(rawValue: UInt8(drain.1)!) == .shutdown && drain.2 == "shutdown")
        #expect(DrainReason(rawValue: UInt8(drain.3)!) == .tooOld && drain.4 == "connection too old")
        #expect(DrainReason(rawValue: UInt8(drain.5)!) == .streamIDsExhausted && drain.6 == "stream ids exhausted")
        #expect(DrainReason(rawValue: 3) == nil)

        let direction = try self.spec.first(#/`direction u8` \((\d) (\w+), (\d) (\w+)\)/#, in: "5.2", "the saga directions")
        #expect(SagaDirection(rawValue: UInt8(direction.1)!)?.description == String(direction.2))
        #expect(SagaDirection(rawValue: UInt8(direction.3)!)?.description == String(direction.4))
        #expect(SagaDirection(rawValue: 2) == nil)
    }

    @Test("§4.3: END outcomes 0, 1, 2 are read; others are not")
    func outcomes() throws {
        let match = try self.spec.first(#/`outcome` — (\d) not executed, (\d) executed, (\d) unknown/#, in: "4.3", "the outcomes")
        let outcomes = [match.1, match.2, match.3].compactMap { UInt8($0) }
        #expect(outcomes == [0, 1, 2])
        for outcome in UInt8(0)...3 {
            let frame = Frame.end(streamID: 1, EndBody(status: 0, outcome: outcome))
            if outcomes.contains(outcome) {
                #expect(try frame.endBody().outcome == outcome)
            } else {
                #expect(throws: FieldError.self) { try frame.endBody() }
            }
        }
    }
}
