import AftercareNIO
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import SwiftProtobuf
import Testing

/// The domain services admit only the principals their configuration names, over the Unix socket
/// and TCP alike: every other certificate of the deployment's CA is refused before a handler runs.
@Suite("Closed by default")
struct ClosedByDefaultTests {
    static let domainServices = ["orders", "payments", "logistics", "aftersales", "feedback"]
    /// Every certificate `make run`'s CA signs but the gateway's, and one the tests add.
    static let others = ["orders", "payments", "logistics", "aftersales", "feedback", "cli", "buyer-app", "seller-app", "support", "carrier", "intruder"]

    @Test("each domain service, as make run starts it, refuses every certificate but the gateway's, on its socket and on TCP", arguments: domainServices)
    func onlyTheGateway(service: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let port = try FreePort.next()
        let process = try await ServiceProcess.start(service, in: directory, arguments: ["--listen-tcp", "127.0.0.1:\(port)"])
        for address in [TransportAddress.unix(path: process.socketPath), .tcp(host: "127.0.0.1", port: port)] {
            try await process.withClient(as: "gateway", address: address) { client in
                _ = try await client.unary(FeedMethods.readEvents, .init())
            }
            for name in Self.others {
                try await process.withClient(as: name, address: address) { client in
                    let refused = await #expect(throws: RPCError.self, "\(name) on \(address)") { _ = try await client.unary(FeedMethods.readEvents, .init()) }
                    #expect(refused?.code == .permissionDenied && refused?.outcome == .notExecuted, "\(name): \(String(describing: refused))")
                    if service == "orders" {
                        let order = await #expect(throws: RPCError.self) { _ = try await client.unary(OrdersMethods.getOrder, .with { $0.orderID = "ord_any" }) }
                        #expect(order?.code == .permissionDenied, "\(name): \(String(describing: order))")
                    }
                    // Test mode's Operator methods admit the gateway and the CLI only.
                    if name != "cli" {
                        let clock = await #expect(throws: RPCError.self) { _ = try await client.unary(OperatorMethods.getClock, .init()) }
                        #expect(clock?.code == .permissionDenied, "\(name): \(String(describing: clock))")
                    }
                    let health = try await client.unary(BuiltinMethods.health, .init())
                    #expect(health.status == .serving)
                }
            }
        }
        #expect(try await process.stop() == 0)
    }

    @Test("aftersales, as make run starts it, admits feedback's certificate to Feed/FollowEvents alone, and no other service's")
    func feedbackFollowsAftersales() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let aftersales = try await ServiceProcess.start("aftersales", in: directory)
        for name in ["feedback", "orders", "gateway"] {
            try await aftersales.withClient(as: name) { client in
                // Admitted, the stream waits for events until its deadline; refused, it ends at once.
                let follow = await #expect(throws: RPCError.self) {
                    try await client.serverStreaming(FeedMethods.followEvents, .init(), options: CallOptions(timeout: .milliseconds(500))) { events in
                        for try await _ in events {}
                    }
                }
                #expect(follow?.code == (name == "orders" ? .permissionDenied : .deadlineExceeded), "\(name): \(String(describing: follow))")
                guard name == "feedback" else { return }
                let read = await #expect(throws: RPCError.self) { _ = try await client.unary(FeedMethods.readEvents, .init()) }
                #expect(read?.code == .permissionDenied, "\(String(describing: read))")
                let steps = await #expect(throws: RPCError.self) { _ = try await client.unary(StepMethods.queryStep, .init()) }
                #expect(steps?.code == .permissionDenied, "\(String(describing: steps))")
            }
        }
        #expect(try await aftersales.stop() == 0)
    }

    @Test("a service started without access.callers refuses every caller, the gateway too, and says so at start")
    func noAllowList() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let orders = try await ServiceProcess.start("orders", in: directory, developmentAccess: false)
        try await orders.withClient(as: "gateway") { client in
            let refused = await #expect(throws: RPCError.self) { _ = try await client.unary(OrdersMethods.getOrder, .with { $0.orderID = "ord_any" }) }
            #expect(refused?.code == .permissionDenied && refused?.outcome == .notExecuted)
            let health = try await client.unary(BuiltinMethods.health, .init())
            #expect(health.status == .serving)
        }
        #expect(orders.log.contains("access.callers is not set"))
        #expect(try await orders.stop() == 0)
    }

    @Test("the gateway admits its public API by role and nothing else: its feed, step ledger and Operator methods are closed to the roles")
    func gatewayOwnMethods() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let gateway = try await ServiceProcess.start("gateway", in: directory)
        for name in ["buyer-app", "seller-app", "support", "carrier", "gateway", "orders"] {
            try await gateway.withClient(as: name) { client in
                let feed = await #expect(throws: RPCError.self) { _ = try await client.unary(FeedMethods.readEvents, .init()) }
                #expect(feed?.code == .permissionDenied, "\(name): \(String(describing: feed))")
                let faults = await #expect(throws: RPCError.self) { _ = try await client.unary(OperatorMethods.setFaults, .init()) }
                #expect(faults?.code == .permissionDenied, "\(name): \(String(describing: faults))")
            }
        }
        try await gateway.withClient(as: "cli") { client in
            _ = try await client.unary(OperatorMethods.getClock, .init())
        }
        #expect(try await gateway.stop() == 0)
    }
}
