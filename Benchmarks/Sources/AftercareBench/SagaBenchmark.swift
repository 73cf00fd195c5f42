import ArgumentParser
import Foundation
import Logging

/// `aftercare-bench sagas REPOSITORY-ROOT`: end-to-end saga figures with everything on — the six
/// release-built executables as processes (Unix sockets, mutual TLS, synchronous=FULL, inboxes,
/// spans), driven through the gateway's public API as a buyer app, a seller back office and the
/// support desk would: refund-only on unshipped orders, and return-and-refund through the carrier
/// simulator, each at several concurrencies. Prints sagas per second, p50/p99/max, and per saga the
/// calls, durable writes and CPU of every process. With `--database sqlite,postgresql` the same
/// phases run on SQLite, then on a PostgreSQL server of the bench's own (``PostgresServer``), and
/// the report sets the two side by side.
struct SagaBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sagas",
        abstract: "End-to-end sagas (refund-only, return-and-refund) through the gateway, six processes, everything on.")

    @Argument(help: "The repository root (scripts/make-certs.sh; the executables in .build/release).")
    var repositoryRoot: String

    @Option(help: "Where aftercare-<service> are (default: REPOSITORY-ROOT/.build/release).")
    var binaries: String?

    @Option(help: "Refund-only: concurrent buyers of each phase, comma-separated.")
    var concurrency = "1,32"

    @Option(help: "Refund-only: timed sagas of each phase (one value, or one per concurrency).")
    var refundSagas = "100,600"

    @Option(help: "Return-and-refund: concurrent buyers of each phase, comma-separated (empty: none).")
    var returnConcurrency = "1,8"

    @Option(help: "Return-and-refund: timed sagas of each phase (one value, or one per concurrency).")
    var returnSagas = "10,60"

    @Option(help: "Warm-up sagas before each phase, as a fraction of its timed sagas (at least 2 per buyer).")
    var warmup = 0.1

    @Option(help: "Connections of the buyer app to the gateway (the buyers are spread over them).")
    var connections = 4

    @Option(help: "The services' log level.")
    var logLevel = "info"

    @Option(help: "Where the services keep their data: sqlite, postgresql, or both (sqlite,postgresql: every phase on each, in that order).")
    var database = "sqlite"

    @Flag(help: "Keep the run directory (logs, databases) instead of removing it.")
    var keep = false

    func run() async throws {
        let refunds = try Self.plan(self.concurrency, self.refundSagas, "refund")
        let returns = try Self.plan(self.returnConcurrency, self.returnSagas, "return")
        let choices = try ServiceStorage.Choice.list(self.database)
        var logger = Logger(label: "aftercare-bench")
        logger.logLevel = .error
        var runs: [SagaRun] = []
        for choice in choices {
            runs.append(try await self.run(on: choice, refunds: refunds, returns: returns, logger: logger))
        }
        print(SagaReport(runs: runs, warmupFraction: self.warmup, buyerConnections: self.connections, logLevel: self.logLevel).markdown)
    }

    /// Every phase on one kind of database: on PostgreSQL, a server started for it and stopped
    /// after it (also when it fails, or on SIGINT).
    private func run(
        on choice: ServiceStorage.Choice, refunds: [(Int, Int)], returns: [(Int, Int)], logger: Logger
    ) async throws -> SagaRun {
        FileHandle.standardError.write(Data("sagas: on \(choice.rawValue)…\n".utf8))
        let server = choice == .postgresql ? try await PostgresServer.start() : nil
        defer { server?.stop() }
        let storage: ServiceStorage = server.map { .postgresql($0) } ?? .sqlite
        let cluster = try await ServiceCluster.start(
            repositoryRoot: self.repositoryRoot, binaries: self.binaries ?? "\(self.repositoryRoot)/.build/release", logLevel: self.logLevel,
            storage: storage)
        let pids = Array(cluster.pids.values)
        let interrupt = InterruptCleanup {
            InterruptCleanup.end(pids)
            server?.stop()
        }
        defer { interrupt.remove() }
        do {
            let counters = try await SystemCounters.make(cluster: cluster, logger: logger)
            let phases: [SagaPhaseResult]
            do {
                phases = try await self.measure(cluster: cluster, counters: counters, refunds: refunds, returns: returns, logger: logger)
                await counters.databases.close()
            } catch {
                await counters.databases.close()
                throw error
            }
            await cluster.stop()
            if self.keep { FileHandle.standardError.write(Data("run directory kept: \(cluster.directory)\n".utf8)) } else { cluster.remove() }
            return SagaRun(database: storage.name, settings: server.map { _ in PostgresServer.settings }, phases: phases)
        } catch {
            await cluster.stop()
            FileHandle.standardError.write(Data("sagas: \(error); logs in \(cluster.directory)/log\n".utf8))
            throw error
        }
    }

    private func measure(
        cluster: ServiceCluster, counters: SystemCounters, refunds: [(Int, Int)], returns: [(Int, Int)], logger: Logger
    ) async throws -> [SagaPhaseResult] {
        let gateway = GatewayCallers(cluster: cluster, buyerConnections: self.connections, logger: logger)
        let tag = String(Int(Date().timeIntervalSince1970))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for client in gateway.all { group.addTask { try await client.run() } }
            defer { gateway.all.forEach { $0.beginGracefulShutdown() } }
            var results: [SagaPhaseResult] = []
            // Each phase its own keys, buyers and tracking numbers.
            for (concurrency, sagas) in refunds {
                let orders = BenchOrders(gateway: gateway, tag: "\(tag)-rf\(concurrency)")
                results.append(
                    try await self.phase(RefundOnlyJourney(orders: orders), "rf\(concurrency)", concurrency, sagas, gateway, counters, cluster.storage.preparers))
            }
            for (concurrency, sagas) in returns {
                let orders = BenchOrders(gateway: gateway, tag: "\(tag)-rt\(concurrency)")
                results.append(
                    try await self.phase(ReturnJourney(orders: orders), "rt\(concurrency)", concurrency, sagas, gateway, counters, cluster.storage.preparers))
            }
            return results
        }
    }

    private func phase<Journey: SagaJourney>(
        _ journey: Journey, _ label: String, _ concurrency: Int, _ sagas: Int, _ gateway: GatewayCallers, _ counters: SystemCounters,
        _ preparers: Int
    ) async throws -> SagaPhaseResult {
        FileHandle.standardError.write(Data("sagas: \(journey.name), \(concurrency) concurrent, \(sagas) timed…\n".utf8))
        let warmup = max(Int((Double(sagas) * self.warmup).rounded()), 2 * concurrency)
        let phase = SagaPhase(
            journey: journey, gateway: gateway, concurrency: concurrency, warmup: warmup, sagas: sagas, label: label, preparers: preparers)
        return try await phase.run(counters: counters)
    }

    /// Pairs each concurrency with its number of sagas ("1,32" with "200,2000", or with "500").
    static func plan(_ concurrency: String, _ sagas: String, _ what: String) throws -> [(Int, Int)] {
        let levels = concurrency.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let counts = sagas.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard levels.allSatisfy({ $0 > 0 }), counts.allSatisfy({ $0 > 0 }), counts.count == 1 || counts.count == levels.count,
            levels.isEmpty || !counts.isEmpty
        else {
            throw ValidationError("\(what): give one number of sagas, or one per concurrency (\(concurrency) / \(sagas))")
        }
        return levels.enumerated().map { ($1, counts.count == 1 ? counts[0] : counts[$0]) }
    }
}
