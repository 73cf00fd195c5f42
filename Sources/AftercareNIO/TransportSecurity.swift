import AftercareWire
import NIOSSL

/// TLS for a server: its certificate and, for mutual TLS, the CA client certificates must chain to.
public struct ServerTLS: Sendable {
    public var certificateFile: String
    public var privateKeyFile: String
    /// The CA that client certificates must chain to.
    public var trustRootsFile: String
    /// Mutual TLS: refuse clients without a certificate from ``trustRootsFile``.
    public var requireClientCertificate: Bool

    /// PEM files; `requireClientCertificate` makes the TLS mutual.
    public init(certificateFile: String, privateKeyFile: String, trustRootsFile: String, requireClientCertificate: Bool = true) {
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
        self.trustRootsFile = trustRootsFile
        self.requireClientCertificate = requireClientCertificate
    }

    /// Loads every file and builds the context once, so that a server can refuse to start on a
    /// file it could not use.
    public func check() throws(TLSFileError) {
        _ = try self.makeContext()
    }

    func makeContext() throws(TLSFileError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try TLSFiles.certificates(self.certificateFile, as: .certificate).map { .certificate($0) },
            privateKey: .privateKey(try TLSFiles.privateKey(self.privateKeyFile))
        )
        configuration.minimumTLSVersion = .tlsv13
        configuration.applicationProtocols = [WireProtocol.alpnID]
        configuration.trustRoots = .certificates(try TLSFiles.certificates(self.trustRootsFile, as: .trustRoots))
        configuration.certificateVerification = self.requireClientCertificate ? .noHostnameVerification : .none
        return try TLSFiles.context(configuration, keyFile: self.privateKeyFile, certificateFile: self.certificateFile)
    }
}

/// TLS for a client: the CA to verify the server with, the name to expect, and for mutual TLS
/// the client's own certificate.
public struct ClientTLS: Sendable {
    /// The CA the server's certificate must chain to.
    public var trustRootsFile: String
    /// The name the server's certificate must carry, e.g. `orders.aftercare.internal`; sent as SNI.
    public var serverName: String
    /// The client's certificate and key, for mutual TLS.
    public var certificateFile: String?
    public var privateKeyFile: String?

    /// PEM files; give the client certificate and key for mutual TLS.
    public init(trustRootsFile: String, serverName: String, certificateFile: String? = nil, privateKeyFile: String? = nil) {
        self.trustRootsFile = trustRootsFile
        self.serverName = serverName
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
    }

    func makeContext() throws(TLSFileError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.applicationProtocols = [WireProtocol.alpnID]
        configuration.trustRoots = .certificates(try TLSFiles.certificates(self.trustRootsFile, as: .trustRoots))
        configuration.certificateVerification = .fullVerification
        if let certificateFile, let privateKeyFile {
            configuration.certificateChain = try TLSFiles.certificates(certificateFile, as: .certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try TLSFiles.privateKey(privateKeyFile))
        }
        return try TLSFiles.context(configuration, keyFile: self.privateKeyFile, certificateFile: self.certificateFile)
    }
}
