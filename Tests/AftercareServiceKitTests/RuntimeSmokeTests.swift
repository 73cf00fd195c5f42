import AftercareBuildInfo
import AftercareRPC
import Foundation
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Testing

/// A service executable on the runtime, with no methods of its own: `aftercare-orders` before the
/// orders domain is registered. What every service gets from the runtime.
@Suite("Service runtime")
struct RuntimeSmokeTests {
    @Test("health includes the database; Operator and Feed answer; SIGTERM exits 0")
    func startsAndAnswersHealth() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let orders = try await ServiceProcess.start("orders", in: directory)
        try await orders.withClient { client in
            let health = try await client.unary(BuiltinMethods.health, .init())
            #expect(health.status == .serving)
            #expect(health.service == "aftercare-orders")
            // The build is the release and the checkout's git describe when it was built (the
            // same build as this test's), so two builds differ; its commit is one of the
            // repository's (a commit made since the build does not make it wrong).
            #expect(health.build == BuildInfo.version)
            #expect(health.build.hasPrefix("\(BuildInfo.release)+"))
            let commit = try #require(Self.commit(of: health.build), "\(health.build)")
            #expect(try Self.isCommit(commit), "\(health.build) names \(commit), which is not a commit of the repository")
            let database = try #require(health.checks.first { $0.name == "database" })
            #expect(database.ok)
            #expect(database.detail.contains("journal wal"))

            var advance = Aftercare_Common_V1_AdvanceClockRequest()
            advance.byMicros = 86_400_000_000
            let clock = try await client.unary(OperatorMethods.advanceClock, advance)
            #expect(clock.offsetMicros == 86_400_000_000)
            let page = try await client.unary(FeedMethods.readEvents, .init())
            #expect(page.headSeq == 0)  // a fresh database: an empty feed
            #expect(page.events.isEmpty)
        }
        #expect(try await orders.stop() == 0)
    }

    @Test("the spans of a trace are still there after a restart")
    func spansSurviveRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trace = TraceID.random()
        let first = try await ServiceProcess.start("orders", in: directory)
        try await first.withClient { client in
            _ = try await client.unary(FeedMethods.readEvents, .init(), options: .init(traceParent: TraceParent(traceID: trace, parentID: 7)))
        }
        #expect(try await first.stop() == 0)

        let second = try await ServiceProcess.start("orders", in: directory)
        var request = Aftercare_Common_V1_QuerySpansRequest()
        request.traceID = "\(trace)"
        let query = request
        let spans = try await second.withClient { client in try await client.unary(BuiltinMethods.querySpans, query).spans }
        #expect(spans.map(\.method) == ["aftercare.common.v1.Feed/ReadEvents"])
        #expect(spans.first?.parentSpanID == "0000000000000007")
        #expect(spans.first?.caller.contains("name:gateway.aftercare.internal") == true)
        #expect(try await second.stop() == 0)
    }

    @Test("access.callers admits only the listed principals to the service's methods; health stays open")
    func allowList() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let orders = try await ServiceProcess.start("orders", in: directory, arguments: ["--access-callers", "name:gateway.aftercare.internal"])
        _ = try await orders.withClient(as: "gateway") { client in try await client.unary(FeedMethods.readEvents, .init()) }
        try await orders.withClient(as: "support") { client in
            let error = await #expect(throws: RPCError.self) { _ = try await client.unary(FeedMethods.readEvents, .init()) }
            #expect(error?.code == .permissionDenied)
            let health = try await client.unary(BuiltinMethods.health, .init())
            #expect(health.status == .serving)
        }
        #expect(try await orders.stop() == 0)
    }

    /// The abbreviated commit of the checkout the tests were built from.
    /// The abbreviated commit a build string names: `0.1.0+87df784`, `0.1.0+v1-3-g87df784-dirty`.
    static func commit(of build: String) -> String? {
        guard let plus = build.firstIndex(of: "+") else { return nil }
        var describe = build[build.index(after: plus)...]
        if describe.hasSuffix("-dirty") { describe = describe.dropLast(6) }
        // Hex has no "g": a leading one is describe's, before the commit.
        let commit = describe.split(separator: "-").last.map { $0.hasPrefix("g") ? $0.dropFirst() : $0 }
        return commit.map(String.init)
    }

    /// Whether `commit` names a commit of the checkout.
    static func isCommit(_ commit: String) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-C", RepositoryPaths.root, "cat-file", "-e", "\(commit)^{commit}"]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
