import Foundation

/// Where a service's PostgreSQL database is, from `database.url`: `postgresql://user@host:port/db`
/// (TCP, `?sslmode=disable|prefer|require|verify-ca|verify-full`, `&sslrootcert=/path/ca.pem`) or
/// `postgresql://user@/db?host=/path/to/socket-dir` (a Unix socket, `.s.PGSQL.<port>` in that
/// directory, as libpq has it). The password is never in the URL: `database.passwordFile`.
package struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// How to reach the server.
    package enum Endpoint: Sendable, Hashable {
        case tcp(host: String, port: Int)
        /// The socket file itself.
        case socket(path: String)
    }

    /// TLS to the server, as libpq's `sslmode` names it. Over a Unix socket there is none.
    package enum TLSMode: String, Sendable, Hashable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    package var endpoint: Endpoint
    package var user: String
    package var database: String
    package var password: String?
    package var tls: TLSMode
    /// The CA the server's certificate must chain to (`sslrootcert`), else the system's.
    package var rootCertificate: String?

    /// The URL without the password: what logs and storage faults name.
    package var description: String {
        switch self.endpoint {
        case .tcp(let host, let port): "postgresql://\(self.user)@\(host):\(port)/\(self.database)?sslmode=\(self.tls.rawValue)"
        case .socket(let path): "postgresql://\(self.user)@/\(self.database)?host=\((path as NSString).deletingLastPathComponent)"
        }
    }

    /// Reads `url`; `password` from `database.passwordFile`, if any.
    /// - Throws: what is wrong with the URL, in words, when it is not one of the forms above.
    package init(url: String, password: String?) throws(PostgresLocationError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme else {
            throw PostgresLocationError("expected postgresql://user@host:port/database, got \"\(url)\"")
        }
        guard scheme == "postgresql" || scheme == "postgres" else {
            throw PostgresLocationError("expected the scheme postgresql://, got \"\(scheme)://\"")
        }
        guard components.password == nil else {
            throw PostgresLocationError("holds a password: put it in database.passwordFile instead")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw PostgresLocationError("names no database (postgresql://…/DATABASE)") }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["host", "port", "sslmode", "sslrootcert"].contains(item.name), let value = item.value, !value.isEmpty else {
                throw PostgresLocationError("unknown or empty parameter \"\(item.name)\" (host, port, sslmode, sslrootcert)")
            }
            query[item.name] = value
        }
        let portText = query["port"] ?? components.port.map(String.init) ?? "5432"
        guard let port = Int(portText), (1...65_535).contains(port) else { throw PostgresLocationError("port \(portText) is not 1…65535") }
        guard let tls = TLSMode(rawValue: query["sslmode"] ?? "prefer") else {
            throw PostgresLocationError("sslmode must be disable, prefer, require, verify-ca or verify-full")
        }
        let host = query["host"] ?? components.host ?? ""
        if host.hasPrefix("/") {
            guard tls == .disable || tls == .prefer else { throw PostgresLocationError("sslmode=\(tls.rawValue) over a Unix socket: TLS is for TCP") }
            self.endpoint = .socket(path: "\(host)/.s.PGSQL.\(port)")
            self.tls = .disable
        } else {
            guard !host.isEmpty else { throw PostgresLocationError("names no host (postgresql://user@HOST/… or ?host=/socket/dir)") }
            self.endpoint = .tcp(host: host, port: port)
            self.tls = tls
        }
        self.user = components.user ?? ProcessInfo.processInfo.userName
        self.database = database
        self.password = password
        self.rootCertificate = query["sslrootcert"]
    }
}

/// What is wrong with a `database.url`.
package struct PostgresLocationError: Error, Sendable, CustomStringConvertible {
    package let problem: String

    init(_ problem: String) {
        self.problem = problem
    }

    package var description: String { self.problem }
}
