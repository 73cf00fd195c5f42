import AftercareEcho
import AftercareNIO
import AftercareRPC
import AftercareTesting
import NIOCore
import NIOPosix
import Testing

/// Callers on their client connection's event loop (``EventLoopTaskExecutor``): they stay on it
/// across every suspension, and their calls are answered as any caller's.
@Suite("Callers on the event loop")
struct CallersOnLoopTests {
    @Test("a task preferring the executor, and the child tasks it starts, run on its loop after every suspension")
    func staysOnTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = EventLoopTaskExecutor(loop)
        let onLoop = try await withTaskExecutorPreference(executor) {
            try await withThrowingTaskGroup(of: Bool.self) { tasks in
                for _ in 0..<8 {
                    tasks.addTask {
                        var always = loop.inEventLoop
                        for _ in 0..<5 {
                            try await Task.sleep(for: .milliseconds(1))
                            always = always && loop.inEventLoop
                            await Task.yield()
                            always = always && loop.inEventLoop
                        }
                        return always
                    }
                }
                return try await tasks.reduce(into: [Bool]()) { $0.append($1) }
            }
        }
        #expect(onLoop == Array(repeating: true, count: 8))
        // Without the preference, a task runs in the pool.
        #expect(await Task.detached { loop.inEventLoop }.value == false)
        try await group.shutdownGracefully()
    }

    @Test("200 callers on the loop of their client's connection, mutual TLS over a Unix socket: every unary and streaming call answered, each caller back on the loop after each")
    func callersAnswered() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try await SharedCertificates.get()
        let path = directory.appending("echo.sock")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let transport = try await NIOServerTransport.bind(to: .unix(path: path), tls: ServerTLS(
                certificateFile: certificates.certificateFile("echo"), privateKeyFile: certificates.keyFile("echo"),
                trustRootsFile: certificates.caFile, requireClientCertificate: true),
            logger: .test("on-loop"))
        let server = RPCServer(transports: [transport], services: [EchoService()], configuration: .init(name: "echo"), logger: .test("on-loop"))
        let client = RPCClient(
            transport: NIOClientTransport(address: .unix(path: path), tls: ClientTLS(
                    trustRootsFile: certificates.caFile, serverName: "echo.aftercare.internal",
                    certificateFile: certificates.certificateFile("gateway"), privateKeyFile: certificates.keyFile("gateway")),
                eventLoopGroup: loop),
            configuration: .init(name: "on-loop"), logger: .test("on-loop"))
        try await withThrowingTaskGroup(of: Void.self) { services in
            services.addTask { try await server.run() }
            services.addTask { try await client.run() }
            let answered = try await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
                try await withThrowingTaskGroup(of: (Int, Bool).self) { callers in
                    for caller in 0..<200 {
                        callers.addTask {
                            var onLoop = true
                            var answered = 0
                            for call in 0..<5 {
                                let text = "\(caller)/\(call)"
                                if try await client.unary(EchoService.say, Echo.say(text)).text == text { answered += 1 }
                                onLoop = onLoop && loop.inEventLoop
                            }
                            let indices = try await client.serverStreaming(EchoService.stream, Echo.stream(3)) { stream in
                                var indices: [UInt32] = []
                                for try await response in stream { indices.append(response.index) }
                                return indices
                            }
                            if indices == [0, 1, 2] { answered += 1 }
                            onLoop = onLoop && loop.inEventLoop
                            return (answered, onLoop)
                        }
                    }
                    return try await callers.reduce(into: [(Int, Bool)]()) { $0.append($1) }
                }
            }
            #expect(answered.count == 200)
            #expect(answered.allSatisfy { $0.0 == 6 })
            #expect(answered.allSatisfy { $0.1 })
            client.beginGracefulShutdown()
            server.beginGracefulShutdown()
            try await services.waitForAll()
        }
        try await group.shutdownGracefully()
    }
}
