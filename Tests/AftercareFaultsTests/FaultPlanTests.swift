import AftercareFaults
import Testing

/// Fault scripts and method patterns.
@Suite("Fault plans")
struct FaultPlanTests {
    @Test("a script reads into faults and prints back the same")
    func script() throws {
        let plan = try FaultPlan(script: """
            drop-reply payments/Refund #3      # the reply of the 3rd refund
            duplicate orders/Reserve #1; drop-request */*
            # a comment line

            delay-request logistics/Create #2 250ms
            delay-reply * 1s
            reorder orders/* #1
            garble-request orders/ReserveRefund #1
            hold-request orders/ReserveRefund #1 until orders/ReserveRefund #2
            cut-after 4096 #2
            """)
        #expect(plan.faults == [
            .dropReply(of: "payments/Refund", call: 3),
            .duplicate("orders/Reserve", call: 1),
            .dropRequest(of: "*/*"),
            .delayRequest(of: "logistics/Create", call: 2, by: .milliseconds(250)),
            .delayReply(of: "*", by: .seconds(1)),
            .reorder("orders/*", call: 1),
            .garbleRequest(of: "orders/ReserveRefund", call: 1),
            .holdRequest(of: "orders/ReserveRefund", call: 1, until: "orders/ReserveRefund", untilCall: 2),
            .cutConnection(afterBytes: 4096, connection: 2),
        ])
        #expect(try FaultPlan(script: plan.description) == plan)
    }

    @Test("a bad script line is named", arguments: [
        ("drop-reply payments/Refund #0", 1, "#0"),
        ("duplicate orders/Reserve\nexplode */*", 2, "unknown fault \"explode\""),
        ("delay-reply */* soon", 1, "250ms"),
        ("cut-after many", 1, "byte count"),
        ("drop-request", 1, "needs a method"),
    ])
    func badScript(_ script: String, _ line: Int, _ fragment: String) {
        let error = #expect(throws: FaultScriptError.self) { try FaultPlan(script: script) }
        #expect(error?.line == line)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }

    @Test("patterns match services by name and methods exactly", arguments: [
        ("payments/Refund", "aftercare.payments.v1.Payments/Refund", true),
        ("payments/Refund", "aftercare.payments.v1.Payments/Capture", false),
        ("payments/*", "aftercare.payments.v1.Payments/Capture", true),
        ("*/Refund", "aftercare.orders.v1.Orders/Refund", true),
        ("*", "aftercare.echo.v1.Echo/Say", true),
        ("orders/Refund", "aftercare.payments.v1.Payments/Refund", false),
    ])
    func patterns(_ pattern: String, _ method: String, _ matches: Bool) {
        #expect(MethodPattern(pattern).matches(method) == matches)
    }
}
