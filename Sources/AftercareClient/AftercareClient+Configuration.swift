import AftercareNIO

extension AftercareClient {
    /// Where the gateway is, how to prove who the client is, and how calls behave by default.
    ///
    /// ```swift
    /// var configuration = AftercareClient.Configuration(
    ///     endpoint: .unix(path: "/run/aftercare/gateway.sock"),
    ///     tls: .init(caFile: "/etc/aftercare/certs/ca.pem",
    ///                certificateFile: "/etc/aftercare/certs/buyer-app.pem",
    ///                privateKeyFile: "/etc/aftercare/certs/buyer-app.key"))
    /// configuration.party = .buyer("buyer_lin")
    /// ```
    ///
    /// With several gateways (on one PostgreSQL database, each on its own host), list them all in
    /// ``endpoints``: the client takes them in turn and sends a call a gateway could not take (down,
    /// or its connection gone before the call was sent) to the next.
    public struct Configuration: Sendable {
        /// The gateways' addresses, at least one; calls go to each in turn, and a call a gateway
        /// could not take (refused, unreachable, its connection gone before the call was sent) to
        /// the next, within the call's deadline.
        public var endpoints: [Endpoint]
        /// The first of ``endpoints``; setting it makes it the only one.
        public var endpoint: Endpoint {
            get { self.endpoints[0] }
            set { self.endpoints = [newValue] }
        }
        /// TLS with the client's certificate: mutual TLS, which the gateway requires (it starts only
        /// with a certificate, key and CA). `nil` connects in plaintext, which only a test server
        /// without TLS accepts.
        public var tls: TLS?
        /// Whom calls act for unless a call's ``CallOptions/party`` says otherwise.
        public var party: Party?
        /// The deadline of a call that sets none, per attempt. Default 10 s.
        public var defaultTimeout: Duration
        /// Which failures are retried, how often, how far apart.
        public var retries: RetryPolicy
        /// The name the client gives in its HELLO (the gateway logs it). Default `aftercare-client`.
        public var name: String

        /// A configuration for one gateway.
        public init(
            endpoint: Endpoint, tls: TLS?, party: Party? = nil, defaultTimeout: Duration = .seconds(10), retries: RetryPolicy = .default,
            name: String = "aftercare-client"
        ) {
            self.init(endpoints: [endpoint], tls: tls, party: party, defaultTimeout: defaultTimeout, retries: retries, name: name)
        }

        /// A configuration for several gateways sharing one database: `endpoints` must not be empty.
        public init(
            endpoints: [Endpoint], tls: TLS?, party: Party? = nil, defaultTimeout: Duration = .seconds(10), retries: RetryPolicy = .default,
            name: String = "aftercare-client"
        ) {
            precondition(!endpoints.isEmpty, "AftercareClient.Configuration needs at least one gateway endpoint")
            self.endpoints = endpoints
            self.tls = tls
            self.party = party
            self.defaultTimeout = defaultTimeout
            self.retries = retries
            self.name = name
        }

        /// The gateway of a run directory as `make run` lays it out (`run/gateway.sock`,
        /// `certs/ca.pem`, `certs/<certificate>.pem` and `.key`), as `certificate`
        /// (`buyer-app`, `seller-app`, `support`, `carrier` or `cli`).
        public static func runDirectory(_ directory: String, certificate: String, party: Party? = nil) -> Configuration {
            Configuration(
                endpoint: .unix(path: "\(directory)/run/gateway.sock"),
                tls: TLS(
                    caFile: "\(directory)/certs/ca.pem", certificateFile: "\(directory)/certs/\(certificate).pem",
                    privateKeyFile: "\(directory)/certs/\(certificate).key"),
                party: party)
        }
    }

    /// A gateway address.
    public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
        /// A Unix domain socket, e.g. `/run/aftercare/gateway.sock` (one host).
        case unix(path: String)
        /// A TCP address, e.g. `.tcp(host: "gateway.shop.internal", port: 7100)` (several hosts).
        case tcp(host: String, port: Int)

        /// `unix:<path>` or `tcp:<host>:<port>`, as the services' configuration writes it.
        public var description: String { self.address.description }

        /// Parses a comma-separated list of ``description``s (`unix:/a.sock,tcp:gw-2:7100`), as
        /// the CLI's `--gateway` takes it; `nil` when one of them does not parse, or the list is empty.
        public static func list(_ text: String) -> [Endpoint]? {
            let endpoints = text.split(separator: ",", omittingEmptySubsequences: false).map { Endpoint(String($0)) }
            guard !endpoints.isEmpty, endpoints.allSatisfy({ $0 != nil }) else { return nil }
            return endpoints.compactMap { $0 }
        }

        /// Parses a ``description`` (or a bare path, taken as a Unix socket); `nil` for anything else.
        public init?(_ text: String) {
            switch TransportAddress(text.hasPrefix("/") ? "unix:\(text)" : text) {
            case .unix(let path): self = .unix(path: path)
            case .tcp(let host, let port): self = .tcp(host: host, port: port)
            case nil: return nil
            }
        }

        /// The transport's address.
        var address: TransportAddress {
            switch self {
            case .unix(let path): .unix(path: path)
            case .tcp(let host, let port): .tcp(host: host, port: port)
            }
        }
    }

    /// The PEM files of mutual TLS.
    public struct TLS: Sendable, Hashable {
        /// The CA the gateway's certificate must chain to.
        public var caFile: String
        /// The client's certificate and key; their name gives the client its role.
        public var certificateFile: String
        public var privateKeyFile: String
        /// The name the gateway's certificate must carry. Default `gateway.aftercare.internal`.
        public var serverName: String

        public init(caFile: String, certificateFile: String, privateKeyFile: String, serverName: String = "gateway.aftercare.internal") {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.privateKeyFile = privateKeyFile
            self.serverName = serverName
        }
    }
}
