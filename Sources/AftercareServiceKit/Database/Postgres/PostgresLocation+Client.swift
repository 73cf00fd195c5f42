import NIOSSL
import PostgresNIO

extension PostgresLocation {
    /// postgres-nio's configuration for this location: the endpoint, the user and password, TLS as
    /// `sslmode` asks (`require` encrypts without checking the certificate, as libpq does;
    /// `verify-ca` checks the chain, `verify-full` the host name too).
    func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch self.endpoint {
        case .socket(let path):
            configuration = PostgresClient.Configuration(unixSocketPath: path, username: self.user, password: self.password, database: self.database)
        case .tcp(let host, let port):
            configuration = PostgresClient.Configuration(
                host: host, port: port, username: self.user, password: self.password, database: self.database, tls: self.clientTLS)
        }
        configuration.options.maximumConnections = maximumConnections
        return configuration
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate = self.rootCertificate { tls.trustRoots = .file(rootCertificate) }
        switch self.tls {
        case .disable:
            return .disable
        case .prefer, .require:
            tls.certificateVerification = .none
            return self.tls == .prefer ? .prefer(tls) : .require(tls)
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return .require(tls)
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            return .require(tls)
        }
    }
}
