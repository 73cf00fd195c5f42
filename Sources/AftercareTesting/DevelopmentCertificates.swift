import Foundation

/// Development certificates made the way `make certs` makes them, by `scripts/make-certs.sh`.
public struct DevelopmentCertificates: Sendable {
    /// The directory holding `ca.pem` and `<name>.pem` / `<name>.key` per name.
    public let directory: String

    /// Makes a CA and a certificate for each name (plus the script's default names) in `directory`.
    public static func make(in directory: String, names: [String]) throws -> DevelopmentCertificates {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["\(RepositoryPaths.root)/scripts/make-certs.sh", directory] + names
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestKitError("make-certs.sh failed: \(String(decoding: message, as: UTF8.self))")
        }
        return DevelopmentCertificates(directory: directory)
    }

    public var caFile: String { "\(self.directory)/ca.pem" }

    public func certificateFile(_ name: String) -> String { "\(self.directory)/\(name).pem" }

    public func keyFile(_ name: String) -> String { "\(self.directory)/\(name).key" }

    /// The DNS name a certificate for `name` carries.
    public static func dnsName(_ name: String) -> String { "\(name).aftercare.internal" }
}
