import AftercareWire
import NIOCore
import Testing

/// The byte layouts WIRE.md draws (header §3, END §4.3, DRAIN §4.8, payload sizes §4) against the codec.
@Suite("Byte layouts match WIRE.md")
struct WireSpecLayoutTests {
    let spec: WireSpecDocument

    init() throws {
        self.spec = try WireSpecDocument()
    }

    /// The big-endian integer of `size` bytes at `offset`.
    static func read(_ bytes: [UInt8], offset: Int, size: Int) -> UInt64 {
        bytes[offset..<(offset + size)].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A layout table's rows as (offset, size or nil for "rest", first backticked name or the raw cell).
    func layout(_ section: String) throws -> [(offset: Int, size: Int?, field: String)] {
        try self.spec.tableRows(section).map { row in
            let field = row[2].firstMatch(of: #/`([^`]+)`/#).map { String($0.1) } ?? row[2]
            return (try #require(Int(row[0])), Int(row[1]), field)
        }
    }

    @Test("§3: the header table's offsets and sizes")
    func header() throws {
        let frame = Frame(type: .call, flags: [.endStream, .more], streamID: 0x0102_0304, ext: ByteBuffer(bytes: [7, 8, 9]), payload: ByteBuffer(bytes: [5, 6]))
        let bytes = encoded(frame)
        let expected: [String: UInt64] = ["length": 5, "type": 0x01, "flags": 0x05, "ext_len": 3, "stream_id": 0x0102_0304]
        let rows = try self.layout("3")
        #expect(rows.map(\.field) == ["length", "type", "flags", "ext_len", "stream_id"])
        var next = 0
        for row in rows {
            let size = try #require(row.size)
            #expect(row.offset == next, "\(row.field) follows the field before it")
            #expect(Self.read(bytes, offset: row.offset, size: size) == expected[row.field], "\(row.field)")
            next = row.offset + size
        }
        #expect(next == WireProtocol.headerSize)
        #expect(Array(bytes[next...]) == [7, 8, 9, 5, 6], "the ext block, then the payload")
    }

    @Test("§4.3: the END payload table")
    func endPayload() throws {
        let body = EndBody(status: 0x0A0B, outcome: 2, retryAfterMs: 0x0102_0304, message: "naïve")
        let bytes = Array(Frame.end(streamID: 1, body).payload.readableBytesView)
        let expected: [String: UInt64] = ["status": 0x0A0B, "outcome": 2, "reserved, 0": 0, "retry_after_ms": 0x0102_0304]
        let rows = try self.layout("4.3")
        #expect(rows.map(\.field) == ["status", "outcome", "reserved, 0", "retry_after_ms", "message"])
        var next = 0
        for row in rows {
            #expect(row.offset == next, "\(row.field)")
            guard let size = row.size else {
                #expect(row.field == "message")
                #expect(Array(bytes[row.offset...]) == Array("naïve".utf8))
                continue
            }
            #expect(Self.read(bytes, offset: row.offset, size: size) == expected[row.field], "\(row.field)")
            next = row.offset + size
        }
        let minimum = try self.spec.first(#/The payload is at least (\d+) bytes/#, in: "4.3", "END's minimum payload")
        #expect(Int(minimum.1) == next)
    }

    @Test("§4.8: the DRAIN payload table")
    func drainPayload() throws {
        let bytes = Array(Frame.drain(DrainBody(lastStreamID: 0x7000_0001, reason: .streamIDsExhausted, deadlineMs: 0x0A0B_0C0D)).payload.readableBytesView)
        let expected: [String: UInt64] = ["last_stream_id": 0x7000_0001, "reason": 2, "deadline_ms": 0x0A0B_0C0D]
        let rows = try self.layout("4.8")
        #expect(rows.map(\.field) == ["last_stream_id", "reason", "deadline_ms"])
        var next = 0
        for row in rows {
            let size = try #require(row.size)
            #expect(row.offset == next, "\(row.field)")
            #expect(Self.read(bytes, offset: row.offset, size: size) == expected[row.field], "\(row.field)")
            next = row.offset + size
        }
        let stated = try self.spec.first(#/Payload, (\d+) bytes:/#, in: "4.8", "DRAIN's payload size")
        #expect(Int(stated.1) == next)
        #expect(bytes.count == next)
    }

    enum SizeRule: Equatable {
        case exactly(Int)
        case atLeast(Int)
        case any
    }

    /// What the payload column of the §4 table says about a frame's payload size.
    func sizeRule(_ cell: String) throws -> SizeRule {
        let widths = ["u8": 1, "u16": 2, "u32": 4, "u64": 8]
        if cell == "empty" { return .exactly(0) }
        if let match = cell.firstMatch(of: #/^(\d+) (?:opaque )?bytes/#) { return .exactly(Int(match.1)!) }
        if let match = cell.firstMatch(of: #/^\w+ `(u\d+)`$/#) { return .exactly(widths[String(match.1)]!) }
        if let match = cell.firstMatch(of: #/^\w+ `(u\d+)`, text$/#) { return .atLeast(widths[String(match.1)]!) }
        if cell.hasPrefix("status (4.3)") {
            let minimum = try self.spec.first(#/The payload is at least (\d+) bytes/#, in: "4.3", "END's minimum payload")
            return .atLeast(Int(minimum.1)!)
        }
        return .any
    }

    static func decodes(_ type: FrameType, payloadSize: Int) -> Bool {
        let bytes = RawFrame.bytes(type: type.rawValue, streamID: type.isConnectionFrame ? 0 : 1, payload: Array(repeating: 1, count: payloadSize))
        return (try? decodeAll(bytes).count) == 1
    }

    @Test("§4: the decoder accepts exactly the payload sizes the frame type table gives")
    func payloadSizes() throws {
        var constrained: [FrameType: SizeRule] = [:]
        for row in try self.spec.tableRows("4") {
            let type = FrameType(rawValue: UInt8(try #require(specHex(row[0]))))
            let rule = try self.sizeRule(row[5])
            switch rule {
            case .exactly(let size):
                #expect(Self.decodes(type, payloadSize: size), "\(type) of \(size) bytes")
                #expect(!Self.decodes(type, payloadSize: size + 1), "\(type) of \(size + 1) bytes")
                if size > 0 { #expect(!Self.decodes(type, payloadSize: size - 1), "\(type) of \(size - 1) bytes") }
                constrained[type] = rule
            case .atLeast(let size):
                #expect(Self.decodes(type, payloadSize: size), "\(type) of \(size) bytes")
                #expect(Self.decodes(type, payloadSize: size + 100), "\(type) of \(size + 100) bytes")
                #expect(!Self.decodes(type, payloadSize: size - 1), "\(type) of \(size - 1) bytes")
                constrained[type] = rule
            case .any:
                #expect(Self.decodes(type, payloadSize: 0), "\(type) of 0 bytes")
                #expect(Self.decodes(type, payloadSize: 300), "\(type) of 300 bytes")
            }
        }
        #expect(constrained == [
            .end: .atLeast(8), .cancel: .exactly(1), .credit: .exactly(4), .hello: .exactly(0),
            .ping: .exactly(8), .drain: .exactly(9), .connectionError: .atLeast(2),
        ])
    }
}
