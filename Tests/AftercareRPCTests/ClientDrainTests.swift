import AftercareEcho
import AftercareInProcess
import AftercareRPC
import AftercareTesting
import AftercareWire
import NIOCore
import SwiftProtobuf
import Synchronization
import Testing

/// The client's side of DRAIN, against a scripted server.
@Suite("Client drain")
struct ClientDrainTests {
    @Test("a call above DRAIN's last stream id comes back not executed; the one below completes")
    func callAboveLastIDIsNotExecuted() async throws {
        let transport = InProcessTransport()
        let client = RPCClient(transport: transport.client(), configuration: .init(name: "t"), logger: .test("drain"))
        let received = ReceivedCalls()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await transport.server.listen { connection in
                    try? await Self.scriptedServer(connection, received: received)
                }
            }
            group.addTask { try await client.run() }
            let first = Task { try await client.unary(EchoService.say, Echo.say("first")) }
            while received.ids.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
            let second = Task { try await client.unary(EchoService.say, Echo.say("second")) }
            let error = await #expect(throws: RPCError.self) { try await second.value }
            #expect(error?.code == .unavailable)
            #expect(error?.outcome == .notExecuted)
            #expect(try await first.value.text == "first")
            client.beginGracefulShutdown()
            transport.server.beginGracefulShutdown()
        }
    }

    /// Answers HELLO, waits for calls 1 and 3, drains with last id 1, answers 1, closes.
    private static func scriptedServer(_ connection: FrameConnection, received: ReceivedCalls) async throws {
        var inbound = connection.inbound.makeAsyncIterator()
        _ = try await inbound.next()
        try await connection.outbound.write(contentsOf: [.hello(HelloFields(peerName: "scripted", build: "0"))])
        var calls: [UInt32] = []
        while calls.count < 2, let frame = try await inbound.next() {
            if frame.type == .call {
                calls.append(frame.streamID)
                received.ids.withLock { $0 = calls }
            }
        }
        var response = Aftercare_Echo_V1_EchoResponse()
        response.text = "first"
        try await connection.outbound.write(contentsOf: [
            .drain(DrainBody(lastStreamID: calls[0], reason: .shutdown, deadlineMs: 1_000)),
            .message(streamID: calls[0], payload: ByteBuffer(bytes: try response.serializedBytes() as [UInt8])),
            .end(streamID: calls[0], EndBody(status: 0, outcome: CallOutcome.executed.rawValue)),
        ])
        try await Task.sleep(for: .milliseconds(200))
        await connection.outbound.close()
    }
}

/// The stream ids of the calls the scripted server has read.
private final class ReceivedCalls: Sendable {
    let ids = Mutex<[UInt32]>([])
}
