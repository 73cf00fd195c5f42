import Foundation
import NIOSSL

/// Plaintext or mutual TLS, and where the development certificates are.
enum Security: String, CaseIterable, Sendable {
    case plaintext
    case mutualTLS = "mTLS"
}

/// Development certificates made at run time with the repository's `scripts/make-certs.sh`: the
/// server is `echo`, the client `gateway`, both under the same development CA.
struct Certificates: Sendable {
    let directory: String
    static let serverName = "echo.aftercare.internal"

    var ca: String { "\(self.directory)/ca.pem" }
    var serverCertificate: String { "\(self.directory)/echo.pem" }
    var serverKey: String { "\(self.directory)/echo.key" }
    var clientCertificate: String { "\(self.directory)/gateway.pem" }
    var clientKey: String { "\(self.directory)/gateway.key" }

    /// Runs `scripts/make-certs.sh DIRECTORY echo` from the repository at `repositoryRoot`.
    static func make(repositoryRoot: String, in directory: String) throws -> Certificates {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(repositoryRoot)/scripts/make-certs.sh")
        process.arguments = [directory, "echo"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("scripts/make-certs.sh failed with status \(process.terminationStatus)")
        }
        return Certificates(directory: directory)
    }

    /// TLS 1.3 with a required, CA-verified client certificate (as Aftercare's `ServerTLS`).
    func rawServerContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(self.serverCertificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: self.serverKey, format: .pem)))
        configuration.minimumTLSVersion = .tlsv13
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(self.ca))
        configuration.certificateVerification = .noHostnameVerification
        return try NIOSSLContext(configuration: configuration)
    }

    /// TLS 1.3 verifying the server as `echo.aftercare.internal`, presenting the gateway certificate.
    func rawClientContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(self.ca))
        configuration.certificateVerification = .fullVerification
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(self.clientCertificate).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: self.clientKey, format: .pem))
        return try NIOSSLContext(configuration: configuration)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
