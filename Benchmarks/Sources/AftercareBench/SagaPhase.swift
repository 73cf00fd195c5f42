import Synchronization

/// What one phase measured: a journey at one concurrency, and what the processes did meanwhile.
struct SagaPhaseResult: Sendable {
    var journey: String
    var concurrency: Int
    var sagas: Int
    /// From the first timed Apply to the last REFUNDED seen.
    var elapsed: Duration
    /// Apply → REFUNDED of each saga, in milliseconds, sorted.
    var latencies: [Double]
    /// Calls each service served, by method, from the start of the timed sagas until the system
    /// was quiet after them.
    var calls: [String: [String: Int]]
    /// Committed write transactions of each service's database, same window (on PostgreSQL,
    /// under ``SystemCounters/postgres``, those of no service's database).
    var commits: [String: Int]
    /// Rows each service's tables gained, same window (tables that did not grow left out).
    var rowsAdded: [String: [String: Int]]
    /// CPU seconds of each process (and the bench's clients, and the PostgreSQL server), same window.
    var cpuSeconds: [String: Double]
    /// Bytes of write-ahead log, all databases, same window (PostgreSQL only).
    var walBytes: Int?
    /// WAL flushes to disk, all databases, same window and a little after (PostgreSQL only:
    /// on SQLite each write is one).
    var walSyncs: Int?
    /// Seconds from the first timed Apply until the system was quiet.
    var window: Double
    /// Inbox notifications the buyers' streams delivered, same window.
    var notifications: Int

    /// WAL flushes: ``walSyncs`` where counted, else one per write (SQLite, synchronous=FULL).
    var fsyncs: Int { self.walSyncs ?? self.commits.values.reduce(0, +) }
    var sagasPerSecond: Double { Double(self.sagas) / self.elapsed.seconds }
    func percentile(_ fraction: Double) -> Double {
        guard !self.latencies.isEmpty else { return .nan }
        let rank = Int((fraction * Double(self.latencies.count)).rounded(.up)) - 1
        return self.latencies[min(max(rank, 0), self.latencies.count - 1)]
    }
}

/// Runs one journey at one concurrency: `concurrency` buyers (each a worker with its own inbox
/// stream, spread over the buyer-app connections) run their sagas one after another. First every
/// order is prepared (not timed, `preparers` at a time), then `warmup` sagas run, the system is let settle,
/// then `sagas` timed ones; counters are read at the start of the timed sagas and once the system
/// is quiet after them (on PostgreSQL, its WAL fsyncs 11 s later still, once the backends have
/// reported them).
struct SagaPhase<Journey: SagaJourney> {
    let journey: Journey
    let gateway: GatewayCallers
    let concurrency: Int
    let warmup: Int
    let sagas: Int
    /// Makes the buyers' ids unique within the run.
    let label: String
    /// Orders prepared at once.
    let preparers: Int

    func run(counters: SystemCounters) async throws -> SagaPhaseResult {
        let workers = (0..<self.concurrency).map { worker in
            (caller: self.gateway.buyer("buyer_\(self.label)_\(worker)", connection: worker), watch: InboxWatch())
        }
        let progress = CallCounter()
        return try await withThrowingTaskGroup(of: Void.self) { background in
            for worker in workers {
                background.addTask { await worker.caller.follow(into: worker.watch) }
            }
            background.addTask { await Self.watchdog(progress, watches: workers.map { $0.watch }) }
            defer {
                progress.stop()
                background.cancelAll()
            }
            let total = self.warmup + self.sagas
            let prepared = try await self.prepare(total, workers: workers, progress: progress)
            // Index i belongs to worker i % concurrency; the first `warmup` indices warm up.
            try await self.runSagas(0..<self.warmup, prepared: prepared, workers: workers, progress: progress)
            try await counters.quiesce()
            let databases = counters.databases
            try await databases.settle()
            let syncsBefore = try await databases.walSyncs()
            let before = try await counters.snapshot()
            let notificationsBefore = workers.reduce(0) { $0 + $1.watch.received }
            let latencies = try await self.runSagas(self.warmup..<total, prepared: prepared, workers: workers, progress: progress)
            let elapsed = ContinuousClock.now - before.at
            try await counters.quiesce()
            let after = try await counters.snapshot()
            try await databases.settle()
            let syncs = try await databases.walSyncs().map { $0 - (syncsBefore ?? 0) }
            var cpu: [String: Double] = [:]
            for (process, value) in after.cpuSeconds { cpu[process] = value - (before.cpuSeconds[process] ?? 0) }
            var rows: [String: [String: Int]] = [:]
            for (service, tables) in after.database.rows {
                rows[service] = tables.reduce(into: [:]) { added, table in
                    let gained = table.value - (before.database.rows[service]?[table.key] ?? 0)
                    if gained != 0 { added[table.key] = gained }
                }
            }
            return SagaPhaseResult(
                journey: self.journey.name, concurrency: self.concurrency, sagas: self.sagas, elapsed: elapsed,
                latencies: latencies.sorted(), calls: try await databases.calls(from: before.database, to: after.database),
                commits: try await databases.commits(from: before.database, to: after.database), rowsAdded: rows, cpuSeconds: cpu,
                walBytes: databases.walBytes(from: before.database, to: after.database), walSyncs: syncs, window: (after.at - before.at).seconds,
                notifications: workers.reduce(0) { $0 + $1.watch.received } - notificationsBefore)
        }
    }

    /// Prepares indices 0..<count, `preparers` at a time, each by the worker it belongs to.
    private func prepare(
        _ count: Int, workers: [(caller: Caller, watch: InboxWatch)], progress: CallCounter
    ) async throws -> [Int: Journey.Prepared] {
        let lanes = min(self.preparers, max(count, 1))
        return try await withThrowingTaskGroup(of: [(Int, Journey.Prepared)].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var done: [(Int, Journey.Prepared)] = []
                    for index in stride(from: lane, to: count, by: lanes) {
                        let worker = workers[index % workers.count]
                        done.append((index, try await self.journey.prepare(index, buyer: worker.caller, watch: worker.watch)))
                        progress.increment()
                    }
                    return done
                }
            }
            var prepared: [Int: Journey.Prepared] = [:]
            for try await lane in group { for (index, item) in lane { prepared[index] = item } }
            return prepared
        }
    }

    /// Runs the sagas of `indices`, each worker its own one after another; answers each one's
    /// Apply → REFUNDED in milliseconds.
    @discardableResult
    private func runSagas(
        _ indices: Range<Int>, prepared: [Int: Journey.Prepared], workers: [(caller: Caller, watch: InboxWatch)], progress: CallCounter
    ) async throws -> [Double] {
        try await withThrowingTaskGroup(of: [Double].self) { group in
            for (number, worker) in workers.enumerated() {
                let mine = indices.filter { $0 % workers.count == number }.compactMap { prepared[$0] }
                group.addTask {
                    var latencies: [Double] = []
                    for item in mine {
                        let start = ContinuousClock.now
                        try await self.journey.run(item, buyer: worker.caller, watch: worker.watch)
                        latencies.append((ContinuousClock.now - start).seconds * 1_000)
                        progress.increment()
                    }
                    return latencies
                }
            }
            var all: [Double] = []
            for try await latencies in group { all += latencies }
            return all
        }
    }

    /// Fails every wait when no order was prepared and no saga finished for 60 s (a saga stuck, a
    /// stream gone).
    private static func watchdog(_ progress: CallCounter, watches: [InboxWatch]) async {
        var last = progress.count
        var idle = 0
        while !progress.stopped {
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
            let now = progress.count
            idle = now == last ? idle + 1 : 0
            last = now
            if idle >= 60 {
                for watch in watches { watch.fail(BenchmarkError("no saga finished in 60 s")) }
                return
            }
        }
    }
}
