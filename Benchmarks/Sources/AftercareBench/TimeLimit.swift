/// Whether `task` ends within `limit`. Waits no longer than that even if the task never ends, and
/// does not cancel it: what to do with a task that overran is the caller's choice.
func finishes<Success, Failure>(_ task: Task<Success, Failure>, within limit: Duration) async -> Bool {
    let (outcomes, continuation) = AsyncStream.makeStream(of: Bool.self)
    // Left behind if the task never ends.
    Task {
        _ = await task.result
        continuation.yield(true)
    }
    let timer = Task {
        try? await Task.sleep(for: limit)
        continuation.yield(false)
    }
    var first = outcomes.makeAsyncIterator()
    let finished = await first.next() ?? false
    timer.cancel()
    continuation.finish()
    return finished
}
