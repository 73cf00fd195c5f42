@testable import AftercareRPC
import AftercareWire
import NIOCore
import Testing

/// The server's protocol engine driven directly, input by input: no sockets, tasks or timers.
@Suite("Server connection state machine")
struct ServerStateMachineTests {
    private static let start = ContinuousClock.now

    private static func machine(
        maxBuffered: Int = 1 << 20,
        memory: RequestMemory = RequestMemory(limit: 1 << 24),
        peer: PeerIdentity = PeerIdentity(certificateName: "gateway.aftercare.internal")
    ) -> ServerConnectionStateMachine {
        var router = RPCRouter()
        router.add(ProbeService())
        let configuration = ServerConnectionStateMachine.Configuration(
            name: "probe", build: "t", limits: .defaults, routes: router.routes, defaultTimeout: .seconds(30),
            overloadRetryHint: .milliseconds(50), allowedPeerUIDs: nil, maxBufferedRequestBytes: maxBuffered,
            maxPingsPerSecond: 10, limiter: CallLimiter(limit: 100), requestMemory: memory,
            metrics: ServerMetrics(service: "probe", methods: router.routes.keys))
        var machine = ServerConnectionStateMachine(configuration: configuration, peer: peer)
        _ = machine.receive(.hello(HelloFields(peerName: "t", build: "0")), now: Self.start)
        return machine
    }

    private static func call(_ id: UInt32, _ method: String, timeoutMicros: UInt64? = nil, more: Bool = false, payload: Int = 0) -> Frame {
        var fields = CallFields(method: method)
        fields.timeoutMicros = timeoutMicros
        return .call(streamID: id, fields: fields, payload: ByteBuffer(repeating: 0, count: payload), flags: more ? .more : .endStream)
    }

    private static func end(_ action: ServerConnectionStateMachine.ReceiveAction) -> EndBody? {
        guard case .send(let frame) = action, frame.type == .end else { return nil }
        return try? frame.endBody()
    }

    @Test("a CALL before HELLO is a protocol error")
    func callBeforeHello() {
        var machine = ServerConnectionStateMachine(configuration: Self.machine().configuration, peer: .anonymous)
        guard case .fail(let error) = machine.receive(Self.call(1, ProbeService.wait.fullName), now: Self.start) else {
            Issue.record("expected a connection error")
            return
        }
        #expect(error.code == .protocolError)
        #expect(error.message == "expected HELLO, got CALL")
    }

    @Test("a method's allow-list is checked at CALL: a refused request's fragments are never buffered")
    func allowListAtCall() {
        let memory = RequestMemory(limit: 1 << 24)
        var machine = Self.machine(memory: memory, peer: PeerIdentity(certificateName: "carrier.aftercare.internal"))
        let refusal = Self.end(machine.receive(Self.call(1, ProbeService.guarded.fullName, more: true, payload: 1_000), now: Self.start))
        #expect(refusal?.status == RPCError.Code.permissionDenied.rawValue)
        #expect(refusal?.outcome == CallOutcome.notExecuted.rawValue)
        let fragment = Frame.message(streamID: 1, payload: ByteBuffer(repeating: 0, count: 1_000), flags: .more)
        guard case .none = machine.receive(fragment, now: Self.start) else {
            Issue.record("a fragment of a refused call must be ignored")
            return
        }
        #expect(memory.bytes == 0)
        #expect(!machine.hasCalls)
    }

    @Test("requests still arriving are bounded per connection and per server, refused not executed")
    func bufferedBytesAreBounded() {
        let memory = RequestMemory(limit: 3_000)
        var first = Self.machine(maxBuffered: 2_000, memory: memory)
        var second = Self.machine(maxBuffered: 2_000, memory: memory)
        #expect(Self.end(first.receive(Self.call(1, ProbeService.wait.fullName, more: true, payload: 1_500), now: Self.start)) == nil)
        let overConnection = Self.end(first.receive(Self.call(3, ProbeService.wait.fullName, more: true, payload: 1_000), now: Self.start))
        #expect(overConnection?.status == RPCError.Code.resourceExhausted.rawValue)
        #expect(overConnection?.outcome == CallOutcome.notExecuted.rawValue)
        #expect(Self.end(second.receive(Self.call(1, ProbeService.wait.fullName, more: true, payload: 1_000), now: Self.start)) == nil)
        let overServer = Self.end(second.receive(Self.call(3, ProbeService.wait.fullName, more: true, payload: 1_000), now: Self.start))
        #expect(overServer?.status == RPCError.Code.resourceExhausted.rawValue)
        #expect(memory.bytes == 2_500)
        _ = first.stopAll(.connectionClosed)
        _ = second.stopAll(.connectionClosed)
        #expect(memory.bytes == 0)
    }

    @Test("a request's deadline runs from its CALL: one still arriving when it passes is refused, not executed")
    func deadlineWhileArriving() {
        let memory = RequestMemory(limit: 1 << 24)
        var machine = Self.machine(memory: memory)
        _ = machine.receive(Self.call(1, ProbeService.wait.fullName, timeoutMicros: 100_000, more: true, payload: 100), now: Self.start)
        #expect(machine.earliestDeadline == Self.start.advanced(by: .milliseconds(100)))
        let early = machine.expire(now: Self.start.advanced(by: .milliseconds(99)))
        #expect(early.refusals.isEmpty)
        let late = machine.expire(now: Self.start.advanced(by: .milliseconds(100)))
        let end = try? late.refusals.first?.endBody()
        #expect(end?.status == RPCError.Code.deadlineExceeded.rawValue)
        #expect(end?.outcome == CallOutcome.notExecuted.rawValue)
        #expect(memory.bytes == 0)
        #expect(late.next == nil)
    }

    @Test("CANCEL stops a running call; the call's END is still sent when its handler returns")
    func cancelThenEnd() {
        var machine = Self.machine()
        guard case .start = machine.receive(Self.call(1, ProbeService.wait.fullName), now: Self.start) else {
            Issue.record("expected the call to start")
            return
        }
        guard case .stop(1, .cancelledByCaller) = machine.receive(.cancel(streamID: 1, reason: .cancelledByCaller), now: Self.start) else {
            Issue.record("expected the call to be stopped")
            return
        }
        #expect(machine.stopReason(of: 1) == .cancelledByCaller)
        #expect(machine.finished(1) == (send: true, thenClose: false))
        guard case .none = machine.receive(.cancel(streamID: 1, reason: .cancelledByCaller), now: Self.start) else {
            Issue.record("a CANCEL for an ended call is ignored")
            return
        }
    }

    @Test("CANCEL while the request still arrives answers END at once, not executed")
    func cancelWhileArriving() {
        var machine = Self.machine()
        _ = machine.receive(Self.call(1, ProbeService.wait.fullName, more: true, payload: 10), now: Self.start)
        let end = Self.end(machine.receive(.cancel(streamID: 1, reason: .deadlineExceeded), now: Self.start))
        #expect(end?.status == RPCError.Code.deadlineExceeded.rawValue)
        #expect(end?.outcome == CallOutcome.notExecuted.rawValue)
    }

    @Test("more than ten PINGs in one second close the connection, naming the limit")
    func pingStrikes() {
        var machine = Self.machine()
        for index in 0..<10 {
            guard case .send = machine.receive(.ping(UInt64(index)), now: Self.start.advanced(by: .milliseconds(index))) else {
                Issue.record("PING \(index) should be answered")
                return
            }
        }
        guard case .fail(let error) = machine.receive(.ping(10), now: Self.start.advanced(by: .milliseconds(500))) else {
            Issue.record("the eleventh PING within a second should close the connection")
            return
        }
        #expect(error.code == .protocolError)
        #expect(error.message == "too many pings: more than 10 in one second")
        var patient = Self.machine()
        for index in 0..<30 {
            guard case .send = patient.receive(.ping(UInt64(index)), now: Self.start.advanced(by: .milliseconds(150 * index))) else {
                Issue.record("a PING every 150 ms is within the limit")
                return
            }
        }
    }

    @Test("drain: DRAIN names the last call read, later calls are refused, the last END closes")
    func drain() throws {
        var machine = Self.machine()
        _ = machine.receive(Self.call(3, ProbeService.wait.fullName), now: Self.start)
        guard case .drain(let frame, closeNow: false) = machine.beginDrain(timeout: .seconds(5)) else {
            Issue.record("expected DRAIN")
            return
        }
        #expect(try frame.drainBody() == DrainBody(lastStreamID: 3, reason: .shutdown, deadlineMs: 5_000))
        let refused = Self.end(machine.receive(Self.call(5, ProbeService.wait.fullName), now: Self.start))
        #expect(refused?.status == RPCError.Code.unavailable.rawValue)
        #expect(refused?.outcome == CallOutcome.notExecuted.rawValue)
        #expect(machine.finished(3) == (send: true, thenClose: true))
    }

    @Test("at the drain's deadline the running calls are stopped for shutdown")
    func drainDeadline() {
        var machine = Self.machine()
        _ = machine.receive(Self.call(1, ProbeService.wait.fullName), now: Self.start)
        _ = machine.beginDrain(timeout: .seconds(1))
        #expect(machine.stopAll(.shutdown) == [1])
        #expect(machine.stopReason(of: 1) == .shutdown)
    }
}
