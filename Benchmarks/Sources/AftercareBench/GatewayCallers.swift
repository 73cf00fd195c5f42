import AftercareGatewayAPI
import AftercareNIO
import AftercareRPC
import Logging

/// Clients of the gateway with each role's development certificate, as a shop front end
/// (`buyer-app`, several connections), a seller back office (`seller-app`) and the support desk
/// (`support`, for the carrier simulator) connect: mutual TLS over the gateway's Unix socket.
struct GatewayCallers: Sendable {
    let buyerApps: [RPCClient]
    let sellerApp: RPCClient
    let support: RPCClient

    static let seller = "seller_bench"

    var all: [RPCClient] { self.buyerApps + [self.sellerApp, self.support] }

    init(cluster: ServiceCluster, buyerConnections: Int, logger: Logger) {
        func client(_ certificate: String) -> RPCClient {
            RPCClient(
                transport: NIOClientTransport(
                    address: .unix(path: cluster.socket("gateway")),
                    tls: ClientTLS(
                        trustRootsFile: "\(cluster.certificates)/ca.pem", serverName: "gateway.aftercare.internal",
                        certificateFile: "\(cluster.certificates)/\(certificate).pem",
                        privateKeyFile: "\(cluster.certificates)/\(certificate).key")),
                configuration: .init(name: "aftercare-bench-\(certificate)"), logger: logger)
        }
        self.buyerApps = (0..<max(buyerConnections, 1)).map { _ in client("buyer-app") }
        self.sellerApp = client("seller-app")
        self.support = client("support")
    }

    /// The buyer app acting for `buyer`, on connection `connection` (modulo their number).
    func buyer(_ buyer: String, connection: Int) -> Caller {
        Caller(client: self.buyerApps[connection % self.buyerApps.count], actor: "buyer:\(buyer)")
    }

    var seller: Caller { Caller(client: self.sellerApp, actor: "seller:\(Self.seller)") }
    var platform: Caller { Caller(client: self.support, actor: "platform:bench") }
}

/// One caller of the gateway: a client (a role) and the actor it names.
struct Caller: Sendable {
    let client: RPCClient
    let actor: String

    /// A unary call with idempotency key `key` (mutating calls need one), 30 s deadline.
    func call<Request, Response>(_ method: MethodDescriptor<Request, Response>, _ request: Request, key: String? = nil) async throws -> Response {
        try await self.client.unary(method, request, options: CallOptions(timeout: .seconds(30), idempotencyKey: key, actor: self.actor))
    }

    /// Follows the actor's inbox from its start into `watch` until the stream ends or the task is
    /// cancelled; `watch` fails every wait when the stream ends otherwise.
    func follow(into watch: InboxWatch) async {
        do {
            try await self.client.serverStreaming(
                GatewayMethods.followNotifications, .init(), options: CallOptions(timeout: .seconds(24 * 3_600), actor: self.actor)
            ) { stream in
                for try await notification in stream { watch.receive(notification) }
            }
            watch.fail(BenchmarkError("the inbox stream of \(self.actor) ended"))
        } catch {
            watch.fail(BenchmarkError("the inbox stream of \(self.actor) failed: \(error)"))
        }
    }
}
