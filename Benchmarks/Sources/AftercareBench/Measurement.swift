import CMallocCounter
import Glibc
import Synchronization

/// What one run of one system in one security mode measured.
struct Measurement: Sendable {
    /// Round-trip times of the sequential calls, in nanoseconds, sorted.
    var latencies: [UInt64]
    /// Completed calls per second with ``Plan/concurrency`` calls in flight.
    var callsPerSecond: Double
    /// CPU time of the whole process (client and server, every thread) per call completed in the
    /// throughput window, in microseconds: what a call costs, whatever else runs on the machine.
    var cpuMicrosPerCall: Double
    /// Allocations (client and server together, one process) per sequential call.
    var mallocsPerCall: Double
    /// The encoded size of one response message (the echo request is 100 bytes encoded).
    var responseBytes: Int

    var p50: Double { Self.percentile(self.latencies, 0.50) }
    var p99: Double { Self.percentile(self.latencies, 0.99) }

    /// The nearest-rank percentile of sorted nanoseconds, in microseconds.
    static func percentile(_ sorted: [UInt64], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1_000
    }
}

/// How much to measure; the same for every system.
struct Plan: Sendable {
    /// Sequential calls made and thrown away before measuring.
    var warmupCalls = 2_000
    /// Sequential calls measured.
    var calls = 20_000
    /// Calls in flight on the one connection in the throughput phase.
    var concurrency = 64
    /// Throughput phase: not counted, then counted.
    var warmup: Duration = .milliseconds(300)
    var window: Duration = .seconds(2)
}

/// Allocations since the process started, as counted by the interposed allocator (CMallocCounter).
func allocationCount() -> UInt64 { malloc_counter_allocations() }

/// CPU time this process has used (user and system, all threads), in microseconds.
func processCPUMicros() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
}

/// What the throughput phase measured: completed calls per second, and the process's CPU time
/// per completed call over the same window.
struct Throughput: Sendable {
    var callsPerSecond: Double
    var cpuMicrosPerCall: Double
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// The sequential phase of an async client: `warmupCalls` calls, then `calls` timed ones, counting
/// allocations over the timed ones.
func measureSequential(_ plan: Plan, _ call: () async throws -> Void) async throws -> (latencies: [UInt64], mallocsPerCall: Double) {
    for _ in 0..<plan.warmupCalls { try await call() }
    var latencies = [UInt64]()
    latencies.reserveCapacity(plan.calls)
    let clock = ContinuousClock()
    let before = allocationCount()
    for _ in 0..<plan.calls {
        let start = clock.now
        try await call()
        let elapsed = clock.now - start
        latencies.append(UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000))
    }
    let mallocs = Double(allocationCount() - before) / Double(plan.calls)
    return (latencies.sorted(), mallocs)
}

/// The throughput phase of an async client: `concurrency` tasks call in a loop; calls completed
/// between the end of the warm-up and the end of the window count, and the CPU time spent meanwhile.
func measureThroughput(_ plan: Plan, _ call: @escaping @Sendable () async throws -> Void) async throws -> Throughput {
    let counter = CallCounter()
    return try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<plan.concurrency {
            group.addTask {
                while !counter.stopped {
                    try await call()
                    counter.increment()
                }
            }
        }
        let clock = ContinuousClock()
        try await Task.sleep(for: plan.warmup)
        let (startCount, start, startCPU) = (counter.count, clock.now, processCPUMicros())
        try await Task.sleep(for: plan.window)
        let (endCount, end, endCPU) = (counter.count, clock.now, processCPUMicros())
        counter.stop()
        try await group.waitForAll()
        let calls = Double(endCount - startCount)
        return Throughput(callsPerSecond: calls / (end - start).seconds, cpuMicrosPerCall: (endCPU - startCPU) / calls)
    }
}

/// Completed calls and the stop flag shared by the throughput tasks.
final class CallCounter: Sendable {
    private let completed = Atomic<Int>(0)
    private let stopFlag = Atomic<Bool>(false)
    var count: Int { self.completed.load(ordering: .relaxed) }
    var stopped: Bool { self.stopFlag.load(ordering: .relaxed) }
    func increment() { self.completed.add(1, ordering: .relaxed) }
    func stop() { self.stopFlag.store(true, ordering: .relaxed) }
}
