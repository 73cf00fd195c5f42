import AftercareEcho
import AftercareNIO
import AftercareRPC
import AftercareTesting
import Foundation
import Testing

/// The client connects lazily and, after losing its server, connects again with back-off.
@Suite("Reconnect")
struct ReconnectTests {
    /// Runs an echo server on `path` until `stop` is called.
    private static func serve(_ path: String, in group: inout ThrowingTaskGroup<Void, any Error>) async throws -> RPCServer {
        let transport = try await NIOServerTransport.bind(to: .unix(path: path), logger: .test("reconnect"))
        let server = RPCServer(transports: [transport], services: [EchoService()], configuration: .init(name: "echo"), logger: .test("reconnect"))
        group.addTask { try await server.run() }
        return server
    }

    @Test("a client whose server restarts on the same socket reconnects")
    func serverRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("run/echo.sock")
        let client = RPCClient(
            transport: NIOClientTransport(address: .unix(path: path)),
            configuration: .init(name: "t", initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(200)),
            logger: .test("reconnect"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }

            // No server yet: the call fails fast, not executed.
            let refused = await #expect(throws: RPCError.self) { try await client.unary(EchoService.say, Echo.say("early")) }
            #expect(refused?.code == .unavailable)
            #expect(refused?.outcome == .notExecuted)

            let first = try await Self.serve(path, in: &group)
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try await Self.eventually(at: path, phase: "first server") { try await client.unary(EchoService.say, Echo.say("one")).text } == "one")
            first.beginGracefulShutdown()
            while FileManager.default.fileExists(atPath: path) { try await Task.sleep(for: .milliseconds(10)) }

            let second = try await Self.serve(path, in: &group)
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try await Self.eventually(at: path, phase: "second server") { try await client.unary(EchoService.say, Echo.say("two")).text } == "two")
            second.beginGracefulShutdown()
            client.beginGracefulShutdown()
            try await group.waitForAll()
        }
    }

    /// Retries `body` while it fails with UNAVAILABLE, for at most 5 s.
    private static func eventually<T: Sendable>(at path: String, phase: String, _ body: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while true {
            do {
                return try await body()
            } catch let error as RPCError where error.code == .unavailable {
                guard ContinuousClock.now < deadline else {
                    throw TestKitError("\(phase): still failing after 5 s: \(error); socket present: \(FileManager.default.fileExists(atPath: path))")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}
