import AftercareCrashPoints
package import AftercareFaults
package import AftercareRPC
import Logging

/// `aftercare.common.v1.Operator`: moves the service's clock, scripts faults into its outgoing
/// calls and arms a crash point, for tests and demos. Every call is refused unless the service runs in test mode.
package struct OperatorService: RPCService {
    package let clock: ServiceClock
    /// Applied to the service's outgoing calls.
    package let faults: FaultInjector

    package init(clock: ServiceClock, faults: FaultInjector) {
        self.clock = clock
        self.faults = faults
    }

    package func register(in router: inout RPCRouter) {
        router.unary(OperatorMethods.advanceClock) { [clock] request, context in
            try Self.requireTestMode(clock)
            do throws(ServiceClockError) {
                try clock.advance(byMicros: request.byMicros)
            } catch {
                throw RPCError.invalidField("by_micros", error.message)
            }
            context.logger.notice("clock advanced", metadata: ["clock.by_micros": "\(request.byMicros)", "clock.offset_micros": "\(clock.offsetMicros)"])
            return Self.reading(clock)
        }
        router.unary(OperatorMethods.getClock) { [clock] _, _ in
            try Self.requireTestMode(clock)
            return Self.reading(clock)
        }
        router.unary(OperatorMethods.setFaults) { [clock, faults] request, context in
            try Self.requireTestMode(clock)
            let plan: FaultPlan
            do throws(FaultScriptError) {
                plan = try FaultPlan(script: request.script)
            } catch {
                throw RPCError.invalidField("script", error.description)
            }
            faults.set(plan)
            context.logger.notice("faults set", metadata: ["faults": "\(plan.faults.count)"])
            var response = Aftercare_Common_V1_SetFaultsResponse()
            response.faults = UInt32(plan.faults.count)
            return response
        }
        router.unary(OperatorMethods.armCrashPoint) { [clock] request, context in
            try Self.requireTestMode(clock)
            var response = Aftercare_Common_V1_ArmCrashPointResponse()
            guard !request.spec.isEmpty else {
                CrashPoints.disarm()
                context.logger.notice("crash point disarmed")
                return response
            }
            do throws(CrashSpecError) {
                let spec = try CrashSpec(parsing: request.spec)
                CrashPoints.arm(spec, logger: context.logger)
                response.armed = spec.description
            } catch {
                throw RPCError.invalidField("spec", error.description)
            }
            return response
        }
    }

    private static func requireTestMode(_ clock: ServiceClock) throws {
        guard clock.testMode else {
            throw RPCError.failedPrecondition("operator methods need test mode (test-mode: true); this service runs in normal mode")
        }
    }

    private static func reading(_ clock: ServiceClock) -> Aftercare_Common_V1_ClockResponse {
        var response = Aftercare_Common_V1_ClockResponse()
        response.nowUnixMicros = clock.nowMicros
        response.offsetMicros = clock.offsetMicros
        return response
    }
}
