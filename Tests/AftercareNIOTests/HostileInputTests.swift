import AftercareEcho
import AftercareNIO
import AftercareRPC
import AftercareTesting
import AftercareWire
import NIOCore
import Testing

/// Garbage, malformed, oversized and truncated input over a real socket: the connection that
/// sent it closes; the server keeps serving everyone else.
@Suite("Hostile input over sockets")
struct HostileInputTests {
    /// A client HELLO as bytes, after the preface.
    private static var greeting: [UInt8] {
        var buffer = ByteBuffer(bytes: WireProtocol.preface)
        RawConnection.hello.write(to: &buffer)
        return Array(buffer: buffer)
    }

    private static func header(length: UInt32, type: UInt8, extLength: UInt16 = 0, streamID: UInt32) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeInteger(length)
        buffer.writeInteger(type)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(extLength)
        buffer.writeInteger(streamID)
        return Array(buffer: buffer)
    }

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var bytes: [UInt8]
        /// The CONN_ERROR code expected before the close, or `nil` for a silent close.
        var expected: ConnectionErrorCode?
    }

    static let cases: [Case] = [
        Case(description: "garbage instead of the preface", bytes: Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), expected: nil),
        Case(description: "a 2 GiB frame", bytes: greeting + header(length: 0x8000_0000, type: 0x02, streamID: 1), expected: .frameTooLarge),
        Case(description: "ext_len beyond the frame", bytes: greeting + header(length: 4, type: 0x01, extLength: 200, streamID: 1) + [0, 0, 0, 0], expected: .protocolError),
        Case(description: "an unknown frame type", bytes: greeting + header(length: 0, type: 0x33, streamID: 1), expected: .protocolError),
        Case(description: "a PING with 3 bytes", bytes: greeting + header(length: 3, type: 0x42, streamID: 0) + [1, 2, 3], expected: .protocolError),
        Case(description: "a CALL before HELLO", bytes: WireProtocol.preface + header(length: 0, type: 0x01, streamID: 1), expected: .protocolError),
        // Read as a header, these bytes claim a body of 187 MB.
        Case(description: "noise after HELLO", bytes: greeting + (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }, expected: .frameTooLarge),
    ]

    @Test("a bad connection is closed and the server serves others", arguments: cases)
    func badInputClosesOnlyThatConnection(_ input: Case) async throws {
        try await TestSystem.run(on: .unix) { system in
            _ = try await system.client.unary(EchoService.say, Echo.say("before"))
            let frames = try await RawSocket.exchange(input.bytes, with: try #require(system.endpoint.address))
            let errors = frames.filter { $0.type == .connectionError }.map { $0.connectionErrorBody() }
            if let expected = input.expected {
                #expect(errors.map(\.code) == [expected], "\(frames)")
                #expect(errors.first?.text.isEmpty == false)
            } else {
                #expect(frames.isEmpty)
            }
            #expect(try await system.client.unary(EchoService.say, Echo.say("after")).text == "after")
        }
    }

    @Test("a connection that ends in the middle of a frame does not disturb the server")
    func truncatedFrame() async throws {
        try await TestSystem.run(on: .tcp) { system in
            let address = try #require(system.endpoint.address)
            let partial = Self.greeting + Self.header(length: 100, type: 0x02, streamID: 1) + [1, 2, 3]
            _ = try await RawSocket.exchange(partial, with: address, closeAfterSending: true)
            #expect(try await system.client.unary(EchoService.say, Echo.say("still here")).text == "still here")
        }
    }
}
