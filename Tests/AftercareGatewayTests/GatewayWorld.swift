import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import Logging
import SwiftProtobuf
import Synchronization

/// The five services and the gateway as real executables (Unix sockets, mutual TLS, test mode) in
/// one temporary directory, and clients of the gateway with each role's development certificate:
/// what a buyer app, a seller back office, a support desk, a carrier and the CLI see. On SQLite
/// (each service's file in the directory) or on PostgreSQL (each service on a database of its own),
/// with one gateway or, on PostgreSQL, two on one saga log.
final class GatewayWorld: Sendable {
    private let processes: Mutex<[String: ServiceProcess]>
    /// Clients of the gateway, by certificate name (`buyer-app`, `seller-app`, `support`, `carrier`,
    /// `cli`, `intruder`), each spreading its calls over the gateways; and the test's own clients
    /// of the services (as the gateway), each spreading its calls over the service's instances.
    let clients: [String: RPCClient]
    let direct: [String: RPCClient]
    /// The processes, how each is started and where its data is.
    let layout: Layout

    static let buyer = "buyer_gw"
    static let seller = "seller_gw"
    static let serviceNames = ["orders", "payments", "logistics", "aftersales", "feedback"]
    static let gatewayClients = ["buyer-app", "seller-app", "support", "carrier", "cli", "intruder"]

    var directory: TemporaryDirectory { self.layout.directory }
    /// The flags each service was first started with, by service name (``relaunch(_:)`` starts it so again).
    var launchArguments: [String: [String]] { self.layout.launchArguments }
    /// Where each process listens, by process name: its Unix socket unless the world runs over TCP.
    var listening: [String: ServiceProcess.Listening] { self.layout.listening }
    /// The processes of each service and of the gateway, by service name: the service's name, then
    /// `<name>-2`, … for a service started as several instances on one database (`gateway-b` for
    /// the second gateway).
    var instances: [String: [String]] { self.layout.instances }
    /// Each service's PostgreSQL database (the gateway's included), as `--database-url` names it;
    /// empty on SQLite.
    var databaseURLs: [String: String] { self.layout.databases.mapValues { "\($0)" } }

    /// Whether a world not told otherwise runs on PostgreSQL: when `AFTERCARE_WORLD_DATABASE` is
    /// `postgres` (`make test`'s second pass of these suites), else on SQLite.
    static let onPostgresByDefault = ProcessInfo.processInfo.environment["AFTERCARE_WORLD_DATABASE"] == TestSQLDriver.postgres.rawValue

    private init(layout: Layout, processes: [String: ServiceProcess], clients: [String: RPCClient], direct: [String: RPCClient]) {
        self.layout = layout
        self.processes = Mutex(processes)
        self.clients = clients
        self.direct = direct
    }

    /// Starts the services (with `arguments` per service name) and the gateway, runs `body`, stops them.
    /// - Parameters:
    ///   - overTCP: every process listens on a TCP port of the loopback and on no Unix socket; the
    ///     gateway reaches the services, and the test its clients, over TCP.
    ///   - instances: how many processes of a service run on its one database (`database.shared`,
    ///     each on its own Unix socket; default one): the gateway's peer setting lists them all, and
    ///     the test's direct client spreads over them too.
    ///   - onPostgres: every process on PostgreSQL, each service (and the gateway) on a fresh
    ///     database of its own from ``AftercareTesting/TestPostgres``; the simulated providers'
    ///     books stay a SQLite file in the directory. By default, as ``onPostgresByDefault`` says.
    ///   - gateways: one gateway, or two (`gateway`, started as `--gateway-instance gateway-a`, and
    ///     `gateway-b`) on one saga log, which needs `onPostgres`; the clients spread their calls
    ///     over both.
    static func run(
        arguments: [String: [String]] = [:], overTCP: Bool = false, instances counts: [String: Int] = [:],
        onPostgres: Bool = GatewayWorld.onPostgresByDefault, gateways: Int = 1, _ body: @Sendable (GatewayWorld) async throws -> Void
    ) async throws {
        precondition(gateways == 1 || (gateways == 2 && onPostgres), "two gateways share one saga log on PostgreSQL; one runs on SQLite")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var instances: [String: [String]] = [:]
        for name in Self.serviceNames {
            let count = counts[name] ?? 1
            precondition(count == 1 || !overTCP, "several instances listen on Unix sockets")
            instances[name] = [name] + (1..<max(count, 1)).map { "\(name)-\($0 + 1)" }
        }
        instances["gateway"] = gateways == 2 ? ["gateway", "gateway-b"] : ["gateway"]
        var listening: [String: ServiceProcess.Listening] = [:]
        for name in Self.serviceNames + instances["gateway"]! {
            listening[name] = overTCP ? .tcp(port: try FreePort.next()) : .unixSocket
        }
        var databases: [String: PostgresLocation] = [:]
        if onPostgres {
            for name in Self.serviceNames + ["gateway"] { databases[name] = try await TestPostgres.database() }
        }
        let layout = Layout(directory: directory, listening: listening, instances: instances, databases: databases, launchArguments: arguments)
        var processes: [String: ServiceProcess] = [:]
        defer { processes.values.forEach { $0.kill() } }
        try await withThrowingTaskGroup(of: ServiceProcess.self) { group in
            for name in Self.serviceNames {
                group.addTask { try await layout.launch(name) }
            }
            for try await service in group { processes[service.instance] = service }
        }
        // The further instances once the first has migrated the database; the gateways once the
        // services answer.
        for name in Self.serviceNames + ["gateway"] {
            for instance in instances[name]! where processes[instance] == nil {
                processes[instance] = try await layout.launch(instance)
            }
        }
        var clients: [String: RPCClient] = [:]
        for name in Self.gatewayClients {
            var transports: [any ClientTransport] = []
            for gateway in instances["gateway"]! { transports.append(try await processes[gateway]!.clientTransport(as: name)) }
            clients[name] = RPCClient(transports: transports, configuration: .init(name: "test-\(name)"), logger: Logger.test("client.\(name)"))
        }
        var direct: [String: RPCClient] = [:]
        for name in Self.serviceNames {
            var transports: [any ClientTransport] = []
            for instance in instances[name]! { transports.append(try await processes[instance]!.clientTransport(as: "gateway")) }
            direct[name] = RPCClient(transports: transports, configuration: .init(name: "test-direct"), logger: Logger.test("direct.\(name)"))
        }
        let world = GatewayWorld(layout: layout, processes: processes, clients: clients, direct: direct)
        defer { world.processes.withLock { $0.values.forEach { $0.kill() } } }
        let all = Array(clients.values) + Array(direct.values)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in all { group.addTask { try await client.run() } }
            defer { all.forEach { $0.beginGracefulShutdown() } }
            try await body(world)
        }
    }

    /// The running process of `name` (a service, `gateway`, or an instance: `payments-2`, `gateway-b`).
    func process(_ name: String) -> ServiceProcess { self.processes.withLock { $0[name]! } }

    /// Stops `name` (SIGTERM, or SIGKILL when `kill`) and starts it again on the same data with
    /// `arguments`; the clients reconnect by themselves.
    func restart(_ name: String, arguments: [String] = [], kill: Bool = false) async throws {
        let old = self.process(name)
        if kill { old.kill() } else { try await old.stop() }
        try await self.start(name, arguments: arguments)
    }

    /// Starts `name` again (after its process stopped) on the same data with `arguments`.
    func start(_ name: String, arguments: [String] = []) async throws {
        let new = try await self.layout.start(name, arguments: arguments)
        self.processes.withLock { $0[name] = new }
    }

    /// Starts `name` again, after it died, as it was first started.
    func relaunch(_ name: String) async throws {
        let new = try await self.layout.launch(name)
        self.processes.withLock { $0[name] = new }
    }

    /// Arms `spec` (`<point>[@<pattern>][#<hit>]`) in the running process `name`, through its
    /// Operator methods.
    func armCrashPoint(_ name: String, _ spec: String) async throws {
        let request = Aftercare_Common_V1_ArmCrashPointRequest.with { $0.spec = spec }
        if let direct = self.direct[name] {
            _ = try await direct.unary(OperatorMethods.armCrashPoint, request)
        } else {
            // A gateway (its Operator methods are the CLI's), or one instance of a service.
            let caller = self.layout.service(of: name) == "gateway" ? "cli" : "gateway"
            try await self.process(name).withClient(as: caller) { client in _ = try await client.unary(OperatorMethods.armCrashPoint, request) }
        }
    }

    /// The gateway's flags naming where each service listens: the flag once per instance.
    static func peerArguments(
        _ directory: TemporaryDirectory, _ listening: [String: ServiceProcess.Listening], _ instances: [String: [String]] = [:]
    ) -> [String] {
        Self.serviceNames.flatMap { name in
            switch listening[name] ?? .unixSocket {
            case .unixSocket: (instances[name] ?? [name]).flatMap { ["--gateway-peers-\(name)", "unix:" + directory.appending("\($0).sock")] }
            case .tcp(let port): ["--gateway-peers-\(name)", "tcp:127.0.0.1:\(port)"]
            }
        }
    }

    /// Feedback's flag naming where aftersales listens, whose feed it follows, when the world runs
    /// over TCP (on Unix sockets, ``AftercareTesting/ServiceProcess`` points feedback at the
    /// directory's aftersales by itself); nothing for the other services.
    static func followArguments(_ name: String, _ listening: [String: ServiceProcess.Listening]) -> [String] {
        guard name == "feedback", case .tcp(let port) = listening["aftersales"] ?? .unixSocket else { return [] }
        return [ServiceProcess.feedbackAftersalesFlag, "tcp:127.0.0.1:\(port)"]
    }

    /// The buyer app acting for `buyer`.
    func buyer(_ id: String = GatewayWorld.buyer) -> Caller { Caller(client: self.clients["buyer-app"]!, actor: "buyer:\(id)") }
    /// The seller back office acting for `seller`.
    func seller(_ id: String = GatewayWorld.seller) -> Caller { Caller(client: self.clients["seller-app"]!, actor: "seller:\(id)") }
    /// Support acting for the platform.
    var support: Caller { Caller(client: self.clients["support"]!, actor: "platform:agent_1") }
    /// The CLI acting for an operator.
    var cli: Caller { Caller(client: self.clients["cli"]!, actor: "operator:oncall") }

    /// One caller of the gateway: a client (a role) and the actor it names.
    struct Caller: Sendable {
        let client: RPCClient
        let actor: String?

        /// A call with a fresh idempotency key (or `key`).
        func call<Request, Response>(
            _ method: MethodDescriptor<Request, Response>, _ request: Request, key: String? = UUID().uuidString
        ) async throws -> Response {
            try await self.client.unary(method, request, options: CallOptions(timeout: .seconds(20), idempotencyKey: key, actor: self.actor))
        }
    }

    // MARK: Scenarios' common steps

    /// An order of `lines` (sku, quantity, unit price in fen) by the buyer, paid through alipay.
    func paidOrder(_ lines: [(String, Int64, Int64)], shippingFee: Int64 = 0) async throws -> Aftercare_Orders_V1_Order {
        let created = try await self.buyer().call(GatewayMethods.createOrder, Self.orderRequest(lines, shippingFee: shippingFee)).order
        let paid = try await self.buyer().call(GatewayMethods.payOrder, .with { $0.orderID = created.orderID; $0.channel = .alipay })
        guard paid.payment.status == .paymentCaptured else { throw TestKitError("payment \(paid.payment.paymentID) is \(paid.payment.status)") }
        return paid.order
    }

    /// An order of `lines` (sku, quantity, unit price in fen) from `seller` (the world's by default).
    static func orderRequest(
        _ lines: [(String, Int64, Int64)], shippingFee: Int64, seller: String = GatewayWorld.seller
    ) -> Aftercare_Orders_V1_CreateOrderRequest {
        .with {
            $0.sellerID = seller
            $0.currency = "CNY"
            $0.shippingFee = Self.cny(shippingFee)
            $0.promisedDeliveryUnixMicros = 4_000_000_000_000_000
            $0.lines = lines.map { sku, quantity, price in
                .with {
                    $0.sku = sku
                    $0.title = "item \(sku)"
                    $0.category = "apparel"
                    $0.quantity = quantity
                    $0.unitPrice = Self.cny(price)
                }
            }
        }
    }

    /// An order of `lines` paid, shipped by the seller with `tracking` and delivered by the carrier
    /// simulator; answered once the gateway has marked it delivered.
    func deliveredOrder(_ lines: [(String, Int64, Int64)], tracking: String) async throws -> Aftercare_Orders_V1_Order {
        let order = try await self.paidOrder(lines)
        let shipped = try await self.seller().call(
            GatewayMethods.shipOrder, .with { $0.orderID = order.orderID; $0.carrier = "sf_express"; $0.trackingNumber = tracking })
        try await self.deliver(shipped.shipment.shipmentID)
        let view = try await self.orderView(order.orderID) { $0.order.status == .delivered }
        guard view.order.status == .delivered else { throw TestKitError("order \(order.orderID) is \(view.order.status.name), not delivered") }
        return view.order
    }

    /// The buyer applies for `kind` on one unit of the order's first line.
    func apply(
        _ kind: Aftercare_Aftersales_V1_CaseKind, _ order: Aftercare_Orders_V1_Order, reason: Aftercare_Aftersales_V1_CaseReason = .noReason7D,
        replacementSKU: String = ""
    ) async throws -> Aftercare_Gateway_V1_CaseView {
        try await self.buyer().call(GatewayMethods.apply, Self.application(kind, order, reason: reason, replacementSKU: replacementSKU))
    }

    /// The buyer's application for `kind` on one unit of the order's first line.
    static func application(
        _ kind: Aftercare_Aftersales_V1_CaseKind, _ order: Aftercare_Orders_V1_Order, reason: Aftercare_Aftersales_V1_CaseReason,
        replacementSKU: String
    ) -> Aftercare_Gateway_V1_ApplyRequest {
        .with {
            $0.kind = kind
            $0.orderID = order.orderID
            $0.reason = reason
            $0.replacementSku = replacementSKU
            $0.lines = [.with { $0.lineID = order.lines[0].lineID; $0.quantity = 1 }]
        }
    }

    /// `caller`'s action `method` on the case at its current version.
    func act(
        _ method: MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>, _ caseID: String,
        by caller: Caller
    ) async throws -> Aftercare_Aftersales_V1_Case {
        let current = try await self.caseView(caseID).record
        return try await caller.call(method, .with { $0.caseID = caseID; $0.version = current.version }).record
    }

    /// Support moves the shipment on with the carrier simulator: to `to`, or its next event.
    func advance(_ shipmentID: String, to: Aftercare_Logistics_V1_CarrierEventKind = .unspecified) async throws {
        _ = try await self.support.call(GatewayMethods.advanceShipment, .with { $0.shipmentID = shipmentID; $0.to = to }, key: nil)
    }

    /// A return whose parcel (`returnShipmentID`) the carrier delivers, the seller receives and
    /// disputes (the wrong item came back: no unit accepted): the case enters RECEIPT_DISPUTED.
    func disputeEveryLine(_ caseID: String, returnShipmentID: String) async throws {
        try await self.deliver(returnShipmentID)
        let delivered = try await self.caseView(caseID, while: ["AWAITING_RETURN_SHIPMENT", "RETURN_IN_TRANSIT"])
        guard delivered.record.state == "RETURN_DELIVERED" else { throw TestKitError("case \(caseID) is \(delivered.record.state)") }
        _ = try await self.act(GatewayMethods.confirmReceipt, caseID, by: self.seller())
        let inspecting = try await self.caseView(caseID).record
        let disputed = try await self.seller().call(
            GatewayMethods.disputeReceipt,
            .with {
                $0.action = .with { $0.caseID = caseID; $0.version = inspecting.version; $0.reasonCode = "wrong_item" }
                $0.lines = inspecting.lines.map { line in .with { $0.lineID = line.lineID; $0.wrongItem = line.quantity } }
                $0.evidence = [.with { $0.kind = .photo; $0.uri = "https://evidence.example/box.jpg"; $0.sha256 = String(repeating: "cd", count: 32) }]
            }
        ).record
        guard disputed.state == "RECEIPT_DISPUTED" else { throw TestKitError("case \(caseID) is \(disputed.state) after the dispute") }
    }

    /// A return disputed as ``disputeEveryLine(_:returnShipmentID:)`` does, which the buyer
    /// escalates and the platform rules for the seller: the case enters RETURNING_TO_BUYER.
    /// `beforeRuling` runs just before the ruling.
    func sellerWinsDispute(_ caseID: String, returnShipmentID: String, beforeRuling: () async throws -> Void = {}) async throws {
        try await self.disputeEveryLine(caseID, returnShipmentID: returnShipmentID)
        guard try await self.act(GatewayMethods.escalate, caseID, by: self.buyer()).state == "ESCALATED_HELD" else {
            throw TestKitError("case \(caseID) was not escalated")
        }
        try await beforeRuling()
        let ruled = try await self.act(GatewayMethods.ruleForSeller, caseID, by: self.support)
        guard ruled.state == "RETURNING_TO_BUYER" else { throw TestKitError("case \(caseID) is \(ruled.state) after the ruling") }
    }

    /// Sets a SKU's stock (a seller's back office would, through its own catalogue).
    func setStock(_ sku: String, _ quantity: Int64) async throws {
        _ = try await self.direct["orders"]!.unary(OrdersMethods.setStock, .with { $0.sku = sku; $0.quantity = quantity })
    }

    /// Sets the stock of `replacement`, catalogued as a variant of `original` (an uncatalogued
    /// SKU is its own product) at `price` fen: what an exchange of `original` may ask for.
    func setStock(_ replacement: String, _ quantity: Int64, variantOf original: String, price: Int64) async throws {
        _ = try await self.direct["orders"]!.unary(
            OrdersMethods.setStock,
            .with {
                $0.sku = replacement
                $0.quantity = quantity
                $0.productID = original
                $0.unitPrice = Self.cny(price)
            })
    }

    /// The case through the public API, polled (up to 30 s) while its state is in `states` or a
    /// saga of it still runs.
    func caseView(_ caseID: String, while states: Set<String> = []) async throws -> Aftercare_Gateway_V1_CaseView {
        try await self.caseView(caseID) { view in
            !states.contains(view.record.state) && !view.sagas.contains { $0.state == "running" || $0.state == "compensating" }
        }
    }

    /// The case through the public API, polled (up to 30 s) until `done` holds.
    func caseView(_ caseID: String, until done: (Aftercare_Gateway_V1_CaseView) -> Bool) async throws -> Aftercare_Gateway_V1_CaseView {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let view = try await self.support.call(GatewayMethods.getCase, .with { $0.caseID = caseID }, key: nil)
            if done(view) || ContinuousClock.now > deadline { return view }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    /// Support moves the shipment on with the carrier simulator until it is delivered.
    func deliver(_ shipmentID: String) async throws {
        var state = Aftercare_Logistics_V1_ShipmentState.labelCreated
        while state != .delivered {
            state = try await self.support.call(GatewayMethods.advanceShipment, .with { $0.shipmentID = shipmentID }, key: nil).shipment.state
        }
    }

    /// The order view, polled (up to 30 s) until `done` holds.
    func orderView(_ orderID: String, until done: (Aftercare_Gateway_V1_OrderView) -> Bool) async throws -> Aftercare_Gateway_V1_OrderView {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let view = try await self.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = orderID }, key: nil)
            if done(view) || ContinuousClock.now > deadline { return view }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    static func cny(_ minor: Int64) -> Aftercare_Common_V1_Money { Aftercare_Common_V1_Money(minor, "CNY") }
}
