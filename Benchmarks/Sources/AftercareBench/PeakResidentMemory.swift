/// Samples the process's resident memory every `interval` from its creation until ``stop()``,
/// keeping the highest sample.
struct PeakResidentMemory: Sendable {
    private let sampler: Task<Int, Never>

    init(every interval: Duration = .milliseconds(50)) {
        self.sampler = Task {
            var peak = ProcessResources.residentBytes()
            while (try? await Task.sleep(for: interval)) != nil {
                peak = max(peak, ProcessResources.residentBytes())
            }
            return peak
        }
    }

    /// Stops sampling; the highest sample, counting one taken now.
    func stop() async -> Int {
        self.sampler.cancel()
        return max(await self.sampler.value, ProcessResources.residentBytes())
    }
}
