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
                try await transport.server.listenScripted { frame, reply in
                    Self.scriptedServer(frame, reply, received: received)
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
    private static func scriptedServer(_ frame: Frame, _ reply: ScriptedPeer.Reply, received: ReceivedCalls) {
        switch frame.type {
        case .hello:
            reply.send(.hello(HelloFields(peerName: "scripted", build: "0")))
        case .call:
            let calls = received.ids.withLock { ids in
                ids.append(frame.streamID)
                return ids
            }
            guard calls.count == 2 else { return }
            var response = Aftercare_Echo_V1_EchoResponse()
            response.text = "first"
            reply.send(
                .drain(DrainBody(lastStreamID: calls[0], reason: .shutdown, deadlineMs: 1_000)),
                .message(streamID: calls[0], payload: ByteBuffer(bytes: try! response.serializedBytes() as [UInt8])),
                .end(streamID: calls[0], EndBody(status: 0, outcome: CallOutcome.executed.rawValue)))
        default:
            break
        }
    }
}

/// The stream ids of the calls the scripted server has read.
private final class ReceivedCalls: Sendable {
    let ids = Mutex<[UInt32]>([])
}
