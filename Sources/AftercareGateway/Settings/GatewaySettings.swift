public import AftercareNIO
public import AftercareRPC
public import AftercareServiceKit
public import Configuration
public import Logging

/// The gateway's own settings: where each service it calls listens. Every call goes out with the
/// gateway's own certificate (the `tls.*` settings every service has) and checks the service's
/// name, `<service>.aftercare.internal`.
public struct GatewaySettings: Sendable, Hashable {
    /// The services the gateway calls and follows, by name.
    public static let peerNames = ["orders", "payments", "logistics", "aftersales", "feedback"]

    /// Each peer's address (`gateway.peers.<name>`: `unix:<path>` or `tcp:<host>:<port>`; default
    /// `unix:/run/aftercare/<name>.sock`).
    public var peers: [String: TransportAddress]

    public init(peers: [String: TransportAddress]) {
        self.peers = peers
    }

    /// Reads the peers' addresses from `config`; an address that is neither form stops the gateway
    /// (exit status 78), naming the key.
    public init(config: ConfigReader) throws(ServiceSettingsError) {
        var peers: [String: TransportAddress] = [:]
        for name in Self.peerNames {
            let key = "gateway.peers.\(name)"
            let text = config.string(forKey: ConfigKey(key)) ?? "unix:/run/aftercare/\(name).sock"
            guard let address = Self.address(text) else {
                throw ServiceSettingsError(key: key, problem: "expected unix:<path> or tcp:<host>:<port>, got \"\(text)\"")
            }
            peers[name] = address
        }
        self.init(peers: peers)
    }

    /// `unix:<path>` or `tcp:<host>:<port>`.
    static func address(_ text: String) -> TransportAddress? {
        if text.hasPrefix("unix:"), text.count > 5 { return .unix(path: String(text.dropFirst(5))) }
        guard text.hasPrefix("tcp:"), let colon = text.lastIndex(of: ":"), colon > text.index(text.startIndex, offsetBy: 4),
            let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port)
        else { return nil }
        return .tcp(host: String(text[text.index(text.startIndex, offsetBy: 4)..<colon]), port: port)
    }

    /// A client per peer, calling with the gateway's certificate and verifying each peer's name.
    /// Each client is a `Service`: run it (the gateway's service group does) before calling.
    public func clients(certificateFile: String, keyFile: String, caFile: String, logger: Logger) -> [String: RPCClient] {
        var clients: [String: RPCClient] = [:]
        for (name, address) in self.peers {
            let tls = ClientTLS(
                trustRootsFile: caFile, serverName: "\(name).aftercare.internal", certificateFile: certificateFile, privateKeyFile: keyFile)
            clients[name] = RPCClient(
                transport: NIOClientTransport(address: address, tls: tls), configuration: .init(name: "aftercare-gateway"), logger: logger)
        }
        return clients
    }
}
