import Foundation

/// Development certificates made the way `make certs` makes them, by `scripts/make-certs.sh`.
public struct DevelopmentCertificates: Sendable {
    /// The directory holding `ca.pem` and `<name>.pem` / `<name>.key` per name.
    public let directory: String

    /// Makes a CA and a certificate for each name (plus the script's default names) in `directory`.
    /// Waits for the script without blocking a thread of the concurrency pool.
    public static func make(in directory: String, names: [String]) async throws -> DevelopmentCertificates {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["\(RepositoryPaths.root)/scripts/make-certs.sh", directory] + names
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard status == 0 else {
            let message = errors.fileHandleForReading.readDataToEndOfFile()
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
