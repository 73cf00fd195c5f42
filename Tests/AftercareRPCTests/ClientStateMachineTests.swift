@testable import AftercareRPC
import AftercareWire
import NIOCore
import Testing

/// The client's protocol engine driven directly, input by input.
@Suite("Client connection state machine")
struct ClientStateMachineTests {
    private static let now = ContinuousClock.now

    private static func ready() -> ClientConnectionStateMachine {
        var machine = ClientConnectionStateMachine(configuration: .init(name: "t"), label: "probe")
        _ = machine.receive(.hello(HelloFields(peerName: "probe", build: "0")), now: Self.now)
        return machine
    }

    private static func open(_ machine: inout ClientConnectionStateMachine, deadline: Duration = .seconds(10)) -> UInt32? {
        guard case .success(let (streamID, _)) = machine.open(CallFields(method: "a.B/C"), ByteBuffer(), deadline: Self.now.advanced(by: deadline)) else {
            return nil
        }
        return streamID
    }

    @Test("no call opens before the server's HELLO, and then none is executed")
    func noCallBeforeHello() {
        var machine = ClientConnectionStateMachine(configuration: .init(name: "t"), label: "probe")
        guard case .failure(let error) = machine.open(CallFields(method: "a.B/C"), ByteBuffer(), deadline: Self.now.advanced(by: .seconds(1))) else {
            Issue.record("a call opened before HELLO")
            return
        }
        #expect(error.outcome == .notExecuted)
    }

    @Test("calls take odd, increasing stream ids; END for one never opened is a protocol error")
    func streamIDs() {
        var machine = Self.ready()
        #expect(Self.open(&machine) == 1)
        #expect(Self.open(&machine) == 3)
        guard case .fail(let error) = machine.receive(.end(streamID: 5, EndBody(status: 0, outcome: 1)), now: Self.now) else {
            Issue.record("END on stream 5 should fail the connection")
            return
        }
        #expect(error.code == .unavailable)
        #expect(error.message.contains("stream 5, which was never opened"))
    }

    @Test("DRAIN refuses the calls above its last stream id, and the connection opens no more")
    func drain() {
        var machine = Self.ready()
        _ = Self.open(&machine)
        _ = Self.open(&machine)
        guard case .drained(let refused) = machine.receive(.drain(DrainBody(lastStreamID: 1, reason: .shutdown, deadlineMs: 100)), now: Self.now) else {
            Issue.record("expected the drain to be reported")
            return
        }
        #expect(refused == [3])
        #expect(Self.open(&machine) == nil)
        guard case .end(1, _) = machine.receive(.end(streamID: 1, EndBody(status: 0, outcome: 1)), now: Self.now) else {
            Issue.record("the call below the last id still ends")
            return
        }
        #expect(!machine.hasCalls)
    }

    @Test("a passed deadline ends the call on the client; its CANCEL goes once, its late END is ignored")
    func deadline() {
        var machine = Self.ready()
        let streamID = Self.open(&machine, deadline: .milliseconds(50))
        #expect(machine.expire(now: Self.now.advanced(by: .milliseconds(49))).expired.isEmpty)
        #expect(machine.expire(now: Self.now.advanced(by: .milliseconds(50))).expired == [1])
        #expect(streamID == 1)
        #expect(machine.cancel(1, .deadlineExceeded) == nil)
        guard case .none = machine.receive(.end(streamID: 1, EndBody(status: 0, outcome: 1)), now: Self.now) else {
            Issue.record("a late END is ignored")
            return
        }
    }
}
