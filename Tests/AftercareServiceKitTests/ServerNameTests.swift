import AftercareTesting
import Foundation
import Testing

/// WIRE.md §12: the server does not check the SNI it receives; callers are known by their
/// certificates. Checked with an independent TLS peer, the system's `openssl s_client`.
@Suite("Server names")
struct ServerNameTests {
    @Test("a handshake naming another server, or none, still completes with a valid client certificate")
    func sniIsNotChecked() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let port = try FreePort.next()
        let orders = try await ServiceProcess.start("orders", in: directory, arguments: ["--listen-tcp", "127.0.0.1:\(port)"])
        let certificates = try await SharedCertificates.get()
        for name in ["payments.aftercare.internal", "example.com", nil] as [String?] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = [
                "s_client", "-connect", "127.0.0.1:\(port)", "-alpn", "aftercare/1", "-tls1_3", "-brief",
                "-CAfile", certificates.caFile, "-cert", certificates.certificateFile("gateway"), "-key", certificates.keyFile("gateway"),
                "-verify_return_error",
            ] + (name.map { ["-servername", $0] } ?? ["-noservername"])
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(text.contains("CONNECTION ESTABLISHED") && text.contains("Verification: OK"), "SNI \(name ?? "none"): \(text)")
        }
        #expect(try await orders.stop() == 0)
    }
}
