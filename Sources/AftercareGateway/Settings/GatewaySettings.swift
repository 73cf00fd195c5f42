package import AftercareFaults
package import AftercareNIO
package import AftercareRPC
import AftercareSagas
package import AftercareServiceKit
package import Configuration
package import Logging

/// The gateway's own settings: where each service it calls listens. Every call goes out with the
/// gateway's own certificate (the `tls.*` settings every service has) and checks the service's
/// name, `<service>.aftercare.internal`.
package struct GatewaySettings: Sendable, Hashable {
    /// The services the gateway calls and follows, by name.
    package static let peerNames = ["orders", "payments", "logistics", "aftersales", "feedback"]

    /// Each peer's addresses, one per instance (`gateway.peers.<name>`: one address or a list of
    /// them, each `unix:<path>` or `tcp:<host>:<port>`; default `unix:/run/aftercare/<name>.sock`).
    /// The gateway spreads its calls to a peer over its instances and fails over between them.
    package var peers: [String: [TransportAddress]]
    /// Who may call the gateway, as what (`gateway.roles.<role>`: a list of principals, e.g.
    /// `name:buyer-app.aftercare.internal`; a role not set keeps its ``GatewayRoles/defaults``).
    package var roles: GatewayRoles
    /// How often the reconciliation pass runs (`gateway.reconcile.intervalSeconds`, default 300).
    package var reconcileInterval: Duration
    /// How the sagas call: each call's deadline (`gateway.sagas.callTimeoutMs`, default 5000), the
    /// first back-off (`gateway.sagas.initialBackoffMs`, default 100), and how many attempts a step
    /// that may give up makes before its saga compensates (`gateway.sagas.attempts`, default 8);
    /// the saga lease: this gateway's name among the gateways sharing one saga log
    /// (`gateway.instance`, default `gateway`) and how long a dead gateway's sagas wait before
    /// another takes them over (`gateway.sagas.leaseSeconds`, default 30); its feed followers and
    /// reconciliation pass run under leases of the same owner and length.
    package var sagas: GatewaySagas.Configuration

    package init(
        peers: [String: [TransportAddress]], roles: GatewayRoles = .defaults, reconcileInterval: Duration = .seconds(300),
        sagas: GatewaySagas.Configuration = .defaults
    ) {
        self.peers = peers
        self.roles = roles
        self.reconcileInterval = reconcileInterval
        self.sagas = sagas
    }

    /// Reads the peers' addresses, the role table and the reconciliation interval from `config`;
    /// an address that is neither form, an empty list of addresses, a principal with two roles or a
    /// bad interval stops the gateway (exit status 78), naming the key.
    package init(config: ConfigReader) throws(ServiceSettingsError) {
        var peers: [String: [TransportAddress]] = [:]
        for name in Self.peerNames {
            peers[name] = try Self.addresses(config, name)
        }
        let interval = try config.wholeSetting("gateway.reconcile.intervalSeconds", default: 300, minimum: 1)
        self.init(peers: peers, roles: try Self.roles(config), reconcileInterval: .seconds(interval), sagas: try Self.sagas(config))
    }

    /// `gateway.peers.<name>`: one address, or a list of them (a YAML sequence, `a,b` in the
    /// environment), one per instance, none twice.
    static func addresses(_ config: ConfigReader, _ name: String) throws(ServiceSettingsError) -> [TransportAddress] {
        let key = "gateway.peers.\(name)"
        let texts: [String]
        if let list = config.stringArray(forKey: ConfigKey(key)) {
            texts = list
            guard !texts.isEmpty else {
                throw ServiceSettingsError(key: key, problem: "an empty list; give one address, or one per instance of \(name)")
            }
        } else {
            texts = [config.string(forKey: ConfigKey(key)) ?? "unix:/run/aftercare/\(name).sock"]
        }
        var addresses: [TransportAddress] = []
        for text in texts {
            guard let address = TransportAddress(text) else {
                throw ServiceSettingsError(key: key, problem: "expected unix:<path> or tcp:<host>:<port>, got \"\(text.prefix(80))\"")
            }
            guard !addresses.contains(address) else {
                throw ServiceSettingsError(key: key, problem: "\(text) is listed twice; list each instance once")
            }
            addresses.append(address)
        }
        return addresses
    }

    /// `gateway.sagas.*`: both retry policies take the call timeout and first back-off; the steps
    /// that may give up take the attempts (the others keep retrying until done).
    static func sagas(_ config: ConfigReader) throws(ServiceSettingsError) -> GatewaySagas.Configuration {
        let defaults = GatewaySagas.Configuration.defaults
        let timeout = Duration.milliseconds(try config.wholeSetting("gateway.sagas.callTimeoutMs", default: 5_000, minimum: 1))
        let backoff = Duration.milliseconds(try config.wholeSetting("gateway.sagas.initialBackoffMs", default: 100, minimum: 1))
        let attempts = try config.wholeSetting("gateway.sagas.attempts", default: defaults.retry.maxAttempts, minimum: 1)
        let leaseSeconds = try config.wholeSetting("gateway.sagas.leaseSeconds", default: 30, minimum: 3)
        let instance = try config.instanceNameSetting("gateway.instance") ?? defaults.lease.owner
        var sagas = defaults
        sagas.lease = SagaLease(owner: instance, duration: .seconds(leaseSeconds))
        sagas.retry.callTimeout = timeout
        sagas.retry.initialBackoff = backoff
        sagas.retry.maxAttempts = attempts
        sagas.untilDone.callTimeout = timeout
        sagas.untilDone.initialBackoff = backoff
        return sagas
    }

    /// `gateway.roles.<role>` for every role.
    static func roles(_ config: ConfigReader) throws(ServiceSettingsError) -> GatewayRoles {
        var byPrincipal: [String: GatewayRole] = [:]
        for role in GatewayRole.allCases {
            let key = "gateway.roles.\(role.rawValue)"
            let principals = try config.listSetting(key) ?? GatewayRoles.defaults.byPrincipal.filter { $0.value == role }.map(\.key)
            for principal in principals {
                if let problem = PeerIdentity.problem(principal: principal) {
                    throw ServiceSettingsError(key: key, problem: problem)
                }
                if let other = byPrincipal[principal], other != role {
                    throw ServiceSettingsError(key: key, problem: "\(principal) already has role \(other); a principal has one role")
                }
                byPrincipal[principal] = role
            }
        }
        return GatewayRoles(byPrincipal)
    }

    /// A client per peer, calling with the gateway's certificate and verifying each peer's name,
    /// through `faults` (the Operator's `SetFaults` scripts them in test mode; none otherwise). A
    /// peer with several instances gets one client over all of them: it spreads the calls and fails
    /// over between them. Each client is a `Service`: run it (the gateway's service group does)
    /// before calling.
    /// - Parameters:
    ///   - certificateFile: the gateway's certificate (PEM).
    ///   - keyFile: its private key (PEM).
    ///   - caFile: the CA that signed the services' certificates.
    ///   - faults: the fault injector every call goes through.
    ///   - logger: where connection events are logged.
    package func clients(certificateFile: String, keyFile: String, caFile: String, faults: FaultInjector, logger: Logger) -> [String: RPCClient] {
        var clients: [String: RPCClient] = [:]
        for (name, addresses) in self.peers {
            let tls = ClientTLS(
                trustRootsFile: caFile, serverName: "\(name).aftercare.internal", certificateFile: certificateFile, privateKeyFile: keyFile)
            let transports: [any ClientTransport] = addresses.map {
                FaultyClientTransport(wrapping: NIOClientTransport(address: $0, tls: tls), injector: faults)
            }
            clients[name] = RPCClient(transports: transports, configuration: .init(name: "aftercare-gateway"), logger: logger)
        }
        return clients
    }
}
