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

    /// postgres-nio's configuration of one connection to this location, as the pool makes them.
    /// - Throws: ``PostgresRefusal`` on `database.url` when its TLS files cannot be used.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        switch self.endpoint {
        case .socket(let path):
            return PostgresConnection.Configuration(unixSocketPath: path, username: self.user, password: self.password, database: self.database)
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS
            do {
                switch self.tlsChoice {
                case .none: tls = .disable
                case .some((let configuration, let required)):
                    let context = try NIOSSLContext(configuration: configuration)
                    tls = required ? .require(context) : .prefer(context)
                }
            } catch {
                throw PostgresRefusal(setting: "database.url", message: "cannot set up TLS to the database: \(error)")
            }
            return PostgresConnection.Configuration(
                host: host, port: port, username: self.user, password: self.password, database: self.database, tls: tls)
        }
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch self.tlsChoice {
        case .none: .disable
        case .some((let configuration, let required)): required ? .require(configuration) : .prefer(configuration)
        }
    }

    /// The TLS configuration `sslmode` asks for, and whether TLS is required (not just preferred);
    /// `nil` for none.
    private var tlsChoice: (TLSConfiguration, required: Bool)? {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let rootCertificate = self.rootCertificate { tls.trustRoots = .file(rootCertificate) }
        switch self.tls {
        case .disable:
            return nil
        case .prefer, .require:
            tls.certificateVerification = .none
            return (tls, self.tls == .require)
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
            return (tls, true)
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            return (tls, true)
        }
    }
}
