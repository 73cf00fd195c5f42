import AftercareAftersalesAPI
import AftercareNIO
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import ArgumentParser
import Logging

/// `aftercare-example-order`: walks one order through the orders, payments, logistics, aftersales
/// and feedback services that `make run` started (Unix sockets with mutual TLS, the gateway's
/// certificate) and says what each service answered.
@main
struct OrderJourneyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aftercare-example-order",
        abstract: "One order created, paid, shipped, delivered, partly refunded, partly returned and reviewed across the services.")

    @Option(help: "The run directory of `make run`: certs/ and run/<service>.sock.")
    var runDir: String

    @Option(help: "The certificate (in certs/) to call as.")
    var caller = "gateway"

    @Flag(help: "A gateway runs too: wait (up to 10 s) for its Return setup saga to move the return case on.")
    var waitForGateway = false

    func run() async throws {
        var logger = Logger(label: "aftercare-example-order")
        logger.logLevel = .warning
        let services = ["orders", "payments", "logistics", "aftersales", "feedback"]
        let clients = services.map { self.client(of: $0, as: self.caller, logger: logger) }
        let journey = OrderJourney(
            orders: clients[0], payments: clients[1], logistics: clients[2], aftersales: clients[3], feedback: clients[4]
        ) { print("  \($0)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { try await client.run() } }
            defer { for client in clients { client.beginGracefulShutdown() } }
            print("One order through \(services.joined(separator: ", ")) (Unix sockets, mutual TLS, as \(self.caller)):")
            let tag = "\(ContinuousClock.now)".filter(\.isNumber).suffix(14)
            let outcome = try await journey.run(tag: String(tag))
            print(
                "Done: order \(outcome.order.orderID) \(outcome.order.status), refunded \(outcome.order.refunded.formatted) by "
                    + "\(outcome.refund.refundID); return case \(outcome.returnApproved.record.caseID) \(outcome.returnApproved.record.state).")
            if self.waitForGateway {
                try await Self.showGatewayWork(on: outcome.returnApproved.record.caseID, aftersales: clients[3])
                try await self.refundThroughTheGateway(tag: String(tag), logger: logger)
            }
            for (name, client) in zip(services, clients) {
                let head = try await client.unary(FeedMethods.readEvents, .init()).headSeq
                print("  \(name): \(head) events on its feed (aftercare.common.v1.Feed/ReadEvents)")
            }
        }
    }

    /// A client of `service` on its socket in the run directory, with mutual TLS as `certificate`.
    func client(of service: String, as certificate: String, logger: Logger) -> RPCClient {
        RPCClient(
            transport: NIOClientTransport(
                address: .unix(path: "\(self.runDir)/run/\(service).sock"),
                tls: ClientTLS(
                    trustRootsFile: "\(self.runDir)/certs/ca.pem", serverName: "\(service).aftercare.internal",
                    certificateFile: "\(self.runDir)/certs/\(certificate).pem", privateKeyFile: "\(self.runDir)/certs/\(certificate).key")),
            configuration: .init(name: "aftercare-example-order"), logger: logger)
    }

    /// A refund through the gateway's public API, as `buyer-app`; its saga read as `cli`.
    func refundThroughTheGateway(tag: String, logger: Logger) async throws {
        let clients = ["buyer-app", "cli"].map { self.client(of: "gateway", as: $0, logger: logger) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { try await client.run() } }
            defer { for client in clients { client.beginGracefulShutdown() } }
            print("A refund through the gateway's public API (as buyer-app), its saga read from the operator API (as cli):")
            try await PublicRefund(buyerApp: clients[0], cli: clients[1]) { print("  \($0)") }.run(tag: tag)
        }
    }

    /// Polls the return case until the gateway's saga has moved it out of APPROVED, and says where.
    static func showGatewayWork(on caseID: String, aftersales: RPCClient) async throws {
        var request = Aftercare_Aftersales_V1_GetCaseRequest()
        request.caseID = caseID
        let deadline = ContinuousClock.now + .seconds(10)
        var response = try await aftersales.unary(AftersalesMethods.getCase, request)
        while response.record.state == "APPROVED" && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            response = try await aftersales.unary(AftersalesMethods.getCase, request)
        }
        print("Gateway: the return case is \(response.record.state); its history:")
        for entry in response.history {
            let saga = entry.sagaID.isEmpty ? "" : " (saga \(entry.sagaID), step \(entry.sagaStep))"
            print("  \(entry.seq). \(entry.event): \(entry.fromState.isEmpty ? "-" : entry.fromState) → \(entry.toState) by \(entry.actor)\(saga)")
        }
        if response.record.hasReturnShipment {
            let shipment = response.record.returnShipment
            print("  return label: \(shipment.carrier) \(shipment.trackingNumber) (shipment \(shipment.shipmentID))")
        }
    }
}
