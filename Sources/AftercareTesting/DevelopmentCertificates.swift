import Foundation

/// Development certificates made the way `make certs` makes them, by `scripts/make-certs.sh`.
package struct DevelopmentCertificates: Sendable {
    /// The directory holding `ca.pem` and `<name>.pem` / `<name>.key` per name.
    package let directory: String

    /// Makes a CA and a certificate for each name (plus the script's default names) in `directory`.
    /// Waits for the script without blocking a thread of the concurrency pool.
    package static func make(in directory: String, names: [String]) async throws -> DevelopmentCertificates {
        try await Self.run(["\(RepositoryPaths.root)/scripts/make-certs.sh", directory] + names, what: "make-certs.sh")
        return DevelopmentCertificates(directory: directory)
    }

    /// Makes `<name>.pem` and `<name>.key` in this directory: a client certificate from this CA
    /// whose only name is its common name, `commonName` — no subject alternative name.
    package func makeCertificateWithoutAlternativeName(_ name: String, commonName: String) async throws {
        try await self.makeCertificate(name, commonName: commonName, extensions: "basicConstraints=CA:FALSE\\nextendedKeyUsage=clientAuth\\n")
    }

    /// Makes `<name>.pem` and `<name>.key` in this directory: a server certificate from this CA
    /// for the one DNS name `dnsName` (a database server on `localhost`, say).
    package func makeServerCertificate(_ name: String, dnsName: String) async throws {
        try await self.makeCertificate(
            name, commonName: dnsName, extensions: "basicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\nsubjectAltName=DNS:\(dnsName)\\n")
    }

    /// Makes `<name>.pem` and `<name>.key`: a P-256 key and a certificate for it from this CA,
    /// valid one day, with subject `CN=commonName` and the X.509 `extensions` (printf's escapes).
    private func makeCertificate(_ name: String, commonName: String, extensions: String) async throws {
        let (key, request, certificate) = (self.keyFile(name), "\(self.directory)/\(name).csr", self.certificateFile(name))
        let script = """
            set -e
            openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -keyout '\(key)' \\
                -subj '/CN=\(commonName)' -out '\(request)'
            openssl x509 -req -in '\(request)' -CA '\(self.caFile)' -CAkey '\(self.directory)/ca.key' -set_serial \(UInt64.random(in: 1...UInt64.max)) \\
                -days 1 -out '\(certificate)' -extfile <(printf '\(extensions)')
            """
        try await Self.run(["-c", script], what: "openssl")
    }

    /// Runs bash with `arguments`, waiting without blocking a thread of the concurrency pool.
    private static func run(_ arguments: [String], what: String) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = arguments
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
            throw TestKitError("\(what) failed: \(String(decoding: message, as: UTF8.self))")
        }
    }

    package var caFile: String { "\(self.directory)/ca.pem" }

    package func certificateFile(_ name: String) -> String { "\(self.directory)/\(name).pem" }

    package func keyFile(_ name: String) -> String { "\(self.directory)/\(name).key" }

    /// The DNS name a certificate for `name` carries.
    package static func dnsName(_ name: String) -> String { "\(name).aftercare.internal" }
}
