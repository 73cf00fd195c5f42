/// Thrown by ``withDeadline(_:_:)`` when the deadline passes first.
struct DeadlinePassed: Error {}

/// Runs `body`, cancelling it when `deadline` passes; then throws ``DeadlinePassed``.
func withDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(until: deadline, clock: .continuous)
            throw DeadlinePassed()
        }
        defer { group.cancelAll() }
        // The first child to finish decides: a result, the body's error, or the deadline.
        return try await group.next()!
    }
}
