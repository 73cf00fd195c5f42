import NIOCore
import NIOPosix

/// Phase 3: `count` plaintext connections that send nothing, opened one after another. The server
/// must not keep them all: past its bounds on connections still in their handshake it closes the
/// oldest. A new client calls while they are open.
enum SilentConnections {
    struct Result: Sendable {
        var count: Int
        var failedToOpen: Int
        /// The server's bounds on connections still in their handshake, per listener and per uid.
        var unauthenticatedLimit: Int
        var unauthenticatedLimitPerUID: Int
        /// Silent connections the server still had open 1 s after the last was opened.
        var openAfterOneSecond: Int
        /// Open descriptors of the process (both ends of every connection).
        var descriptorsBefore: Int
        var descriptorsOpened: Int
        var descriptorsAfterOneSecond: Int
        /// After closing the silent connections and 1 s more.
        var descriptorsAfter: Int
        /// A new client's first call (connecting included), made once all are open.
        var echo: EchoProbe
        var stoppedCleanly: Bool
    }

    static func run(count: Int, certificates: Certificates, socketPath: String) async throws -> Result {
        let endpoint = try await EchoEndpoint.start(socketPath: socketPath, security: .plaintext, certificates: certificates)
        let descriptorsBefore = ProcessResources.openDescriptors()
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(.seconds(5))
        var silent: [any Channel] = []
        for _ in 0..<count {
            if let channel = try? await bootstrap.connect(unixDomainSocketPath: socketPath).get() { silent.append(channel) }
        }
        let opened = ContinuousClock.now
        let descriptorsOpened = ProcessResources.openDescriptors()
        let caller = endpoint.makeClient(name: "aftercare-bench-caller")
        let echo = await EchoProbe.call(caller.client)
        try await Task.sleep(until: opened.advanced(by: .seconds(1)), clock: .continuous)
        let stillOpen = silent.filter(\.isActive).count
        let descriptorsAfterOneSecond = ProcessResources.openDescriptors()

        for channel in silent { try? await channel.close() }
        try await Task.sleep(for: .seconds(1))
        let descriptorsAfter = ProcessResources.openDescriptors()
        let callerStopped = await caller.running.stop()
        let serverStopped = await endpoint.server.stop()
        return Result(
            count: count, failedToOpen: count - silent.count,
            unauthenticatedLimit: endpoint.configuration.maxUnauthenticatedConnections,
            unauthenticatedLimitPerUID: endpoint.configuration.maxUnauthenticatedConnectionsPerUID,
            openAfterOneSecond: stillOpen, descriptorsBefore: descriptorsBefore, descriptorsOpened: descriptorsOpened,
            descriptorsAfterOneSecond: descriptorsAfterOneSecond, descriptorsAfter: descriptorsAfter, echo: echo,
            stoppedCleanly: callerStopped && serverStopped)
    }
}
