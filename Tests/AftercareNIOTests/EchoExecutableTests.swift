import AftercareEcho
import AftercareNIO
import AftercareRPC
import AftercareTesting
import AftercareWire
import Foundation
import Testing

/// The real `aftercare-echo` executable over a Unix socket with mutual TLS: it serves, and on
/// SIGTERM it finishes the call in flight, removes its socket and exits 0.
@Suite("aftercare-echo executable")
struct EchoExecutableTests {
    @Test("serves over mutual TLS and drains on SIGTERM")
    func servesAndDrains() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try await SharedCertificates.get()
        let socket = directory.appending("run/echo.sock")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "\(RepositoryPaths.buildProducts)/aftercare-echo")
        process.arguments = [
            "--socket", socket,
            "--tls-cert", certificates.certificateFile("echo"), "--tls-key", certificates.keyFile("echo"),
            "--tls-ca", certificates.caFile, "--log-level", "warning",
        ]
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: socket) {
            try await Task.sleep(for: .milliseconds(10))
        }

        let transport = NIOClientTransport(
            address: .unix(path: socket),
            tls: ClientTLS(
                trustRootsFile: certificates.caFile, serverName: "echo.aftercare.internal",
                certificateFile: certificates.certificateFile("gateway"), privateKeyFile: certificates.keyFile("gateway")))
        // A window of one message keeps the stream below from finishing before the signal.
        var limits = WireLimits.defaults
        limits.initialStreamWindow = 1
        let client = RPCClient(transport: transport, configuration: .init(name: "test", limits: limits), logger: .test("exe"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            let hello = try await client.unary(EchoService.say, Echo.say("hello"))
            #expect(hello.caller.contains("name:gateway.aftercare.internal"))
            let health = try await client.unary(BuiltinMethods.health, .init())
            #expect(health.service == "aftercare-echo")

            // A call in flight when the signal comes is finished before the server exits.
            let received = try await client.serverStreaming(EchoService.stream, Echo.stream(20)) { stream in
                var received = 0
                for try await _ in stream {
                    received += 1
                    if received == 1 { process.interrupt() }  // SIGINT; SIGTERM takes the same path
                }
                return received
            }
            #expect(received == 20)
            client.beginGracefulShutdown()
        }
        for _ in 0..<500 where process.isRunning {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }
}
