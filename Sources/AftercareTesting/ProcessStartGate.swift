/// At most a few service executables start at once across a test run: each start migrates a
/// database with `synchronous=FULL` and answers its first TLS handshakes, and twenty of them at
/// once on a 2-core machine starve the test process itself for seconds (and every test with a
/// deadline in it). A started process costs little; only the starting is queued.
actor ProcessStartGate {
    static let shared = ProcessStartGate(limit: 2)

    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = limit
    }

    /// Runs `body` when fewer than `limit` others run.
    func run<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        if self.running >= self.limit {
            await withCheckedContinuation { self.waiting.append($0) }
        } else {
            self.running += 1
        }
        defer {
            if self.waiting.isEmpty {
                self.running -= 1
            } else {
                self.waiting.removeFirst().resume()
            }
        }
        return try await body()
    }
}
