import AftercareCrashPoints
import AftercareServiceKit
import AftercareServiceRuntime
import Testing

/// Crash specs as written, and the `crashAt` setting: read from the environment, test mode only.
@Suite("Crash points")
struct CrashPointTests {
    @Test("a spec names its point, a glob over the context and the hit; mistakes are named")
    func specs() throws {
        let spec = try CrashSpec(parsing: "saga.call-sent@refund-*/refund/forward#2")
        #expect(spec.point == .sagaCallSent)
        #expect(spec.hit == 2)
        #expect(spec.matches(.sagaCallSent, "refund-aftersales-7/refund/forward"))
        #expect(!spec.matches(.sagaCallSent, "return-setup-aftersales-7/refund/forward"))
        #expect(!spec.matches(.sagaCallLogged, "refund-aftersales-7/refund/forward"))
        #expect(try CrashSpec(parsing: "router.event-handled").description == "router.event-handled@*")
        #expect(try CrashSpec(parsing: spec.description) == spec)
        for (text, problem) in [("saga.nowhere", "no crash point"), ("saga.started#0", "hit"), ("saga.started@", "pattern")] {
            let error = #expect(throws: CrashSpecError.self) { _ = try CrashSpec(parsing: text) }
            #expect(error?.description.contains(problem) == true, "\(text)")
        }
        #expect(Set(CrashPoint.all.map(\.name)).count == CrashPoint.all.count)
        #expect(CrashPoint.all.allSatisfy { CrashPoint.named($0.name) == $0 })
    }

    @Test("crashAt comes from AFTERCARE_CRASH_AT, in test mode only")
    func setting() async throws {
        let armed = try await ServiceSettingsTests.settings(environment: ["AFTERCARE_CRASH_AT": "service.step-committed@refund-*"])
        #expect(armed.crashAt == CrashSpec(.stepCommitted, pattern: "refund-*"))
        let normal = await #expect(throws: ServiceSettingsError.self) {
            _ = try await ServiceSettingsTests.settings(environment: ["AFTERCARE_CRASH_AT": "saga.started", "AFTERCARE_TEST_MODE": "false"])
        }
        #expect(normal?.key == "crashAt")
        let unknown = await #expect(throws: ServiceSettingsError.self) {
            _ = try await ServiceSettingsTests.settings(environment: ["AFTERCARE_CRASH_AT": "saga.later"])
        }
        #expect(unknown?.problem.contains("no crash point") == true)
    }
}
