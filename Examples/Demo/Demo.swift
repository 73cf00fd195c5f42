import AftercareAftersalesAPI
import AftercareClient
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareNIO
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import Foundation
import Logging
import SwiftProtobuf

/// The callers of the demo: a shop front end acting for one buyer, a seller back office, support,
/// and, for the test-mode fault scripts, the operator certificate.
struct Demo: Sendable {
    let buyer: AftercareClient
    let seller: AftercareClient
    let support: AftercareClient
    /// The gateway's test-mode Operator methods and operator API, as `cli`.
    let gatewayOperator: RPCClient
    let runDirectory: String
    let cli: String
    /// Makes SKUs and tracking numbers unique to this run.
    let tag: String

    static let buyerID = "buyer_mei"
    static let sellerID = "seller_tea_house"

    /// The six scenarios, in order.
    static let scenarios: [any Scenario] = [
        RefundRetried(), PartialReturn(), DeclinedThenRetried(), ExchangeWithdrawn(), ExchangeConverted(), OrderCancelled(),
    ]

    /// Runs `body` with the demo's clients connected to the gateway (and orders) of `runDirectory`.
    static func with<Result: Sendable>(
        runDirectory: String, cli: String, tag: String, _ body: @Sendable (Demo) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "aftercare-demo")
        logger.logLevel = .warning
        func client(_ certificate: String, _ party: Party) -> AftercareClient {
            var configuration = AftercareClient.Configuration.runDirectory(runDirectory, certificate: certificate, party: party)
            configuration.defaultTimeout = .seconds(20)
            return AftercareClient(configuration: configuration, logger: logger)
        }
        func direct(_ service: String) -> RPCClient {
            RPCClient(
                transport: NIOClientTransport(
                    address: .unix(path: "\(runDirectory)/run/\(service).sock"),
                    tls: ClientTLS(
                        trustRootsFile: "\(runDirectory)/certs/ca.pem", serverName: "\(service).aftercare.internal",
                        certificateFile: "\(runDirectory)/certs/cli.pem", privateKeyFile: "\(runDirectory)/certs/cli.key")),
                configuration: .init(name: "aftercare-demo"), logger: logger)
        }
        let demo = Demo(
            buyer: client("buyer-app", .buyer(buyerID)), seller: client("seller-app", .seller(sellerID)), support: client("support", .platform("agent_demo")),
            gatewayOperator: direct("gateway"), runDirectory: runDirectory, cli: cli, tag: tag)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for client in [demo.buyer, demo.seller, demo.support] { group.addTask { try await client.run() } }
            group.addTask { try await demo.gatewayOperator.run() }
            defer {
                for client in [demo.buyer, demo.seller, demo.support] { client.beginGracefulShutdown() }
                demo.gatewayOperator.beginGracefulShutdown()
            }
            return try await body(demo)
        }
    }

    /// Runs the `aftercare` CLI on the run directory, its output going straight to ours.
    func runCLI(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: self.cli)
        process.arguments = arguments + ["--run-dir", self.runDirectory]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw DemoError("aftercare \(arguments.joined(separator: " ")) exited \(process.terminationStatus)") }
    }

    /// Waits (up to 30 s) until the gateway says every service is up, as the operator API sees it.
    func waitForHealth() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let health = try? await self.gatewayOperator.unary(OperationsMethods.systemHealth, .init(), options: CallOptions(actor: "operator:demo"))
            if let health, !health.services.isEmpty, health.services.allSatisfy(\.up) { return }
            guard ContinuousClock.now < deadline else {
                throw DemoError("not every service is up: \(health?.services.filter { !$0.up }.map { "\($0.service): \($0.error)" } ?? ["no answer from the gateway"])")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    // MARK: Steps the scenarios share

    /// An order of `lines`, placed by the buyer and paid through alipay.
    func paidOrder(_ lines: [NewOrder.Line]) async throws -> Order {
        let order = try await self.buyer.placeOrder(NewOrder(sellerID: Self.sellerID, currency: "CNY", lines: lines))
        let paid = try await self.buyer.pay(orderID: order.orderID, channel: .alipay)
        guard paid.payment.status == .paymentCaptured else { throw DemoError("payment \(paid.payment.paymentID) is \(paid.payment.status)") }
        say("  buyer: order \(order.orderID), \(lines.map { "\($0.quantity) × \($0.title)" }.joined(separator: ", ")), paid \(paid.order.paid.formatted) through alipay")
        return paid.order
    }

    /// ``paidOrder(_:)`` shipped by the seller and delivered by the carrier simulator (support
    /// moves it on); answers once the gateway has marked the order delivered.
    func deliveredOrder(_ lines: [NewOrder.Line]) async throws -> Order {
        let order = try await self.paidOrder(lines)
        let shipped = try await self.seller.ship(orderID: order.orderID, carrier: "sf_express", trackingNumber: "SF\(self.tag)\(order.orderID.suffix(4))")
        try await self.advance(shipped.shipment.shipmentID, to: .delivered)
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let view = try await self.support.getOrder(.with { $0.orderID = order.orderID })
            if view.order.status == .delivered {
                say("  seller: shipped with sf_express \(shipped.shipment.trackingNumber); carrier: delivered; order \(view.order.status)")
                return view.order
            }
            guard ContinuousClock.now < deadline else { throw DemoError("order \(order.orderID) is still \(view.order.status)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// `replacement`'s stock set to `stock` by the seller, catalogued as a variant of `line` at its
    /// price; `line` ordered and delivered, an exchange of it for `replacement` applied for and
    /// approved by the seller; answers the case as the buyer opened it.
    func approvedExchange(of line: NewOrder.Line, for replacement: String, inStock stock: Int64, because description: String) async throws -> CaseView {
        _ = try await self.seller.setStock(
            .with {
                $0.sku = replacement
                $0.quantity = stock
                $0.productID = line.sku
                $0.unitPrice = .init(line.unitPriceMinor, "CNY")
            })
        let order = try await self.deliveredOrder([line])
        let opened = try await self.buyer.apply(
            .exchange, orderID: order.orderID, lines: [order.lines[0].lineID: 1], reason: .noReason7D, description: description, replacementSKU: replacement)
        self.tell(opened, "opened: exchange for \(replacement) (\(stock) in stock)")
        _ = try await self.seller.act(.approve, onCase: opened.record.caseID)
        say("  seller: approved")
        return opened
    }

    /// Support moves a shipment on with the carrier simulator.
    func advance(_ shipmentID: String, to kind: Aftercare_Logistics_V1_CarrierEventKind) async throws {
        _ = try await self.support.advanceShipment(.with { $0.shipmentID = shipmentID; $0.to = kind })
    }

    /// The case once it has left `states` and no saga of it runs; fails unless it is then `expected`.
    func settle(_ caseID: String, leaving states: Set<String>, expecting expected: String) async throws -> CaseView {
        let view = try await self.support.waitForCase(caseID, toLeave: states)
        guard view.record.state == expected else {
            throw DemoError("case \(caseID) is \(view.record.state), expected \(expected); sagas: \(view.sagas.map { "\($0.definition) \($0.state)" })")
        }
        return view
    }

    /// The newest saga of `definition` on the case.
    func saga(_ definition: String, of view: CaseView) throws -> SagaSummary {
        guard let saga = view.sagas.last(where: { $0.definition == definition }) else {
            throw DemoError("case \(view.record.caseID) has no \(definition) saga (it has \(view.sagas.map(\.definition)))")
        }
        return saga
    }

    /// Scripts the gateway's fault layer (test mode): the calls its sagas make meet these faults.
    func faults(_ script: String) async throws {
        _ = try await self.gatewayOperator.unary(OperatorMethods.setFaults, .with { $0.script = script })
    }

    /// A SKU's stock, as support reads it through the gateway.
    func stock(_ sku: String) async throws -> Int64 {
        try await self.support.getStock(.with { $0.sku = sku }).stock.quantity
    }

    /// Says a case's state and, if given, what happened.
    func tell(_ view: CaseView, _ what: String = "") {
        say("  case \(view.record.caseID): \(view.record.state)\(what.isEmpty ? "" : " — \(what)")")
    }
}
