import AftercareRPC
import AftercareTesting
import Foundation
import Testing

/// WIRE.md §10: a feed's stream never ends by itself, so a drain ends it at once, telling the
/// follower to follow again; the service does not wait out its drain time for it.
@Suite("Drain ends followers' streams")
struct DrainStreamTests {
    @Test("SIGTERM with a FollowEvents stream open: the stream ends UNAVAILABLE with a retry hint, and the process exits 0 well inside the 10 s drain")
    func followerEndsAtOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let orders = try await ServiceProcess.start("orders", in: directory)
        let ended = try await orders.withClient { client in
            try await client.serverStreaming(FeedMethods.followEvents, .init(), options: .init(timeout: .seconds(60))) { stream in
                // A call answered after the stream's CALL on the same connection: the server has
                // accepted the stream. (SIGTERM before that is a call the drain refuses, not-executed.)
                _ = try await client.unary(BuiltinMethods.health, .init())
                let signalled = ContinuousClock.now
                kill(orders.processIdentifier, SIGTERM)
                do {
                    for try await _ in stream {}
                    return (nil as RPCError?, ContinuousClock.now - signalled)
                } catch let error as RPCError {
                    return (error, ContinuousClock.now - signalled)
                }
            }
        }
        #expect(ended.0?.code == .unavailable && ended.0?.message.contains("follow again") == true, "\(String(describing: ended.0))")
        #expect(ended.0?.retryAfter == .milliseconds(100))
        #expect(ended.1 < .seconds(2), "the stream ended \(ended.1) after SIGTERM")
        #expect(try await orders.waitUntilEnded(within: .seconds(2)) == .exited(0))
    }
}
