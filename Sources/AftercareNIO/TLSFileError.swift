import Foundation
import NIOSSL

/// A TLS file that cannot be used: which one, where, and why. A service stops on it at start with
/// the setting that named the file (`tls.cert`, `tls.key`, `tls.ca`).
public struct TLSFileError: Error, Sendable, CustomStringConvertible {
    /// What the file was to hold.
    public enum Role: Sendable {
        case certificate
        case privateKey
        case trustRoots
    }

    public var role: Role
    public var path: String
    public var problem: String

    public var description: String { "\(self.path): \(self.problem)" }
}

/// Loads TLS files, each failure a ``TLSFileError`` naming the file and what is wrong with it.
enum TLSFiles {
    static func certificates(_ path: String, as role: TLSFileError.Role) throws(TLSFileError) -> [NIOSSLCertificate] {
        try Self.readable(path, role)
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw TLSFileError(role: role, path: path, problem: "not a PEM certificate (\(error))")
        }
        guard !certificates.isEmpty else { throw TLSFileError(role: role, path: path, problem: "holds no PEM certificate") }
        return certificates
    }

    static func privateKey(_ path: String) throws(TLSFileError) -> NIOSSLPrivateKey {
        try Self.readable(path, .privateKey)
        do {
            return try NIOSSLPrivateKey(file: path, format: .pem)
        } catch {
            throw TLSFileError(role: .privateKey, path: path, problem: "not a PEM private key (\(error))")
        }
    }

    /// The context of `configuration`, whose files loaded: what can still fail is the key not
    /// belonging to the certificate.
    static func context(_ configuration: TLSConfiguration, keyFile: String?, certificateFile: String?) throws(TLSFileError) -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSFileError(
                role: .privateKey, path: keyFile ?? "-",
                problem: "cannot be used with the certificate \(certificateFile ?? "-") (does the key belong to it?): \(error)")
        }
    }

    private static func readable(_ path: String, _ role: TLSFileError.Role) throws(TLSFileError) {
        guard FileManager.default.fileExists(atPath: path) else { throw TLSFileError(role: role, path: path, problem: "no such file") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw TLSFileError(role: role, path: path, problem: "not readable") }
    }
}
