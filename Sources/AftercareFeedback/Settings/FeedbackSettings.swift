package import AftercareFaults
package import AftercareNIO
package import AftercareRPC
package import AftercareServiceKit
package import Configuration
package import Logging

/// Feedback's own settings, beside those every service shares.
package struct FeedbackSettings: Sendable, Hashable {
    /// The default address of aftersales, as the gateway's `gateway.peers.aftersales` has it.
    package static let defaultAftersales = TransportAddress.unix(path: "/run/aftercare/aftersales.sock")

    /// How often the background pass expires due reviews (`feedback.expiry.intervalMs`, default 60000).
    package var expiryInterval: Duration
    /// Reviews expired per transaction (`feedback.expiry.batch`, default 100).
    package var expiryBatch: Int
    /// Where aftersales listens, whose feed feedback follows (`feedback.peers.aftersales`:
    /// `unix:<path>` or `tcp:<host>:<port>`; default `unix:/run/aftercare/aftersales.sock`).
    package var aftersales: TransportAddress

    /// - Parameters:
    ///   - expiryInterval: how often the background pass expires due reviews.
    ///   - expiryBatch: reviews expired per transaction.
    ///   - aftersales: where aftersales listens.
    package init(expiryInterval: Duration = .seconds(60), expiryBatch: Int = 100, aftersales: TransportAddress = FeedbackSettings.defaultAftersales) {
        self.expiryInterval = expiryInterval
        self.expiryBatch = expiryBatch
        self.aftersales = aftersales
    }

    /// Reads feedback's settings from `config`; a value that is not a whole number of at least 1,
    /// or an address that is neither form, stops the service (exit status 78), naming the key.
    /// - Parameter config: the service's configuration.
    package init(config: ConfigReader) throws(ServiceSettingsError) {
        let key = "feedback.peers.aftersales"
        let text = config.string(forKey: ConfigKey(key)) ?? Self.defaultAftersales.description
        guard let aftersales = TransportAddress(text) else {
            throw ServiceSettingsError(key: key, problem: "expected unix:<path> or tcp:<host>:<port>, got \"\(text)\"")
        }
        self.init(
            expiryInterval: .milliseconds(try config.wholeSetting("feedback.expiry.intervalMs", default: 60_000, minimum: 1)),
            expiryBatch: try config.wholeSetting("feedback.expiry.batch", default: 100, minimum: 1), aftersales: aftersales)
    }

    /// A client of aftersales (at ``aftersales``) calling with feedback's own certificate and
    /// checking aftersales' name, `aftersales.aftercare.internal`, through `faults` (the Operator's
    /// `SetFaults` scripts them in test mode). It is a `Service`: run it before calling.
    /// - Parameters:
    ///   - certificateFile: feedback's certificate (`tls.cert`), its client identity.
    ///   - keyFile: its private key (`tls.key`).
    ///   - caFile: the CA aftersales' certificate must chain to (`tls.ca`).
    ///   - faults: the service's fault injector.
    ///   - logger: the client's log.
    package func aftersalesClient(certificateFile: String, keyFile: String, caFile: String, faults: FaultInjector, logger: Logger) -> RPCClient {
        let tls = ClientTLS(
            trustRootsFile: caFile, serverName: "\(AftersalesFeed.source).aftercare.internal", certificateFile: certificateFile, privateKeyFile: keyFile)
        return RPCClient(
            transport: FaultyClientTransport(wrapping: NIOClientTransport(address: self.aftersales, tls: tls), injector: faults),
            configuration: .init(name: "aftercare-feedback"), logger: logger)
    }
}
