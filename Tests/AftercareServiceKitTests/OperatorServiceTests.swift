import AftercareCrashPoints
import AftercareFaults
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

@Suite("Operator methods")
struct OperatorServiceTests {
    @Test("refused in normal mode, naming test mode")
    func normalMode() async throws {
        let clock = ServiceClock(testMode: false)
        try await TestSystem.run(
            on: .inProcess, services: [OperatorService(clock: clock, faults: FaultInjector())], configuration: .init(name: "aftercare-test")
        ) { system in
            var request = Aftercare_Common_V1_AdvanceClockRequest()
            request.byMicros = 1_000_000
            let error = await #expect(throws: RPCError.self) { _ = try await system.client.unary(OperatorMethods.advanceClock, request) }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message.contains("test mode") == true)
            #expect(clock.offsetMicros == 0)
            let arming = await #expect(throws: RPCError.self) {
                _ = try await system.client.unary(OperatorMethods.armCrashPoint, .with { $0.spec = "saga.started" })
            }
            #expect(arming?.code == .failedPrecondition)
        }
    }

    @Test("in test mode the clock moves forward only, and fault scripts are checked")
    func testMode() async throws {
        let clock = ServiceClock(testMode: true, fixedStart: Date(timeIntervalSince1970: 1_000))
        let faults = FaultInjector()
        try await TestSystem.run(
            on: .inProcess, services: [OperatorService(clock: clock, faults: faults)], configuration: .init(name: "aftercare-test")
        ) { system in
            var request = Aftercare_Common_V1_AdvanceClockRequest()
            request.byMicros = 3 * 86_400 * 1_000_000
            let moved = try await system.client.unary(OperatorMethods.advanceClock, request)
            #expect(moved.nowUnixMicros == 1_000_000_000 + 3 * 86_400 * 1_000_000)
            #expect(clock.now == Date(timeIntervalSince1970: 1_000 + 3 * 86_400))

            request.byMicros = -1
            let backwards = await #expect(throws: RPCError.self) { _ = try await system.client.unary(OperatorMethods.advanceClock, request) }
            #expect(backwards?.message.hasPrefix("by_micros:") == true)

            var script = Aftercare_Common_V1_SetFaultsRequest()
            script.script = "drop-reply payments/Refund #3"
            #expect(try await system.client.unary(OperatorMethods.setFaults, script).faults == 1)
            script.script = "explode everything"
            let bad = await #expect(throws: RPCError.self) { _ = try await system.client.unary(OperatorMethods.setFaults, script) }
            #expect(bad?.message.hasPrefix("script:") == true)

            // A crash point armed in this very process, on a context nothing here has; then disarmed.
            let armed = try await system.client.unary(OperatorMethods.armCrashPoint, .with { $0.spec = "saga.started@no-such-saga-*#2" })
            #expect(armed.armed == "saga.started@no-such-saga-*#2")
            #expect(CrashPoints.armed == CrashSpec(.sagaStarted, pattern: "no-such-saga-*", hit: 2))
            let unknown = await #expect(throws: RPCError.self) {
                _ = try await system.client.unary(OperatorMethods.armCrashPoint, .with { $0.spec = "saga.nowhere" })
            }
            #expect(unknown?.message.hasPrefix("spec:") == true)
            #expect(try await system.client.unary(OperatorMethods.armCrashPoint, .init()).armed == "")
            #expect(CrashPoints.armed == nil)
        }
    }

    @Test("record ids sort by time and carry their prefix")
    func recordIDs() {
        let early = RecordID.make("ord", atMicros: 1_000_000)
        let late = RecordID.make("ord", atMicros: 2_000_000)
        #expect(early.hasPrefix("ord_"))
        #expect(early.count == 30)
        #expect(early < late)
        #expect(RecordID.make("ord", atMicros: 1_000_000) != early)
    }
}
