import AftercareCrashPoints
import GRDB
import Synchronization

/// Group commit: the write transactions that concurrent callers ask of one database, joined into
/// one SQLite transaction — one WAL commit, one fsync (`synchronous=FULL`) — each body in its own
/// savepoint.
///
/// - **Batches.** When the writer is free, it takes what is queued (at most ``batchLimit`` bodies)
///   and runs it as one batch; whatever arrives meanwhile waits for the next. It never waits for
///   company: a lone write runs at once, alone (its own transaction, no savepoint), and batches
///   only form while a commit is under way.
/// - **Serial order.** Bodies run one after the other in the order they were asked, on GRDB's
///   serialized writer connection, each in its own savepoint inside the batch's transaction. So a
///   body sees the writes of the bodies before it in the batch — the same view it would have had
///   if each had committed on its own in that order — and reads its own writes. Sequence numbers
///   assigned inside a body (`MAX(seq) + 1`) stay dense and in order.
/// - **One failure rolls back only itself.** A body that throws has its savepoint rolled back and
///   its caller gets its own error, unchanged; the others commit.
/// - **Reply only after commit.** Each caller's ``write(_:)`` returns after the batch's `COMMIT`
///   succeeded, never before: what a caller answers after a write is on disk. A crash before the
///   commit (the crash point `database.batch-uncommitted`) loses the whole batch, and none of its
///   callers was answered.
/// - **A batch that cannot commit** — a storage fault at the commit, or one inside a body that made
///   SQLite roll the whole transaction back (`SQLITE_FULL`, `SQLITE_IOERR` can) — fails every
///   caller of the batch with that fault (bodies not yet run included: *not executed*).
///
/// What is per transaction in GRDB becomes per batch: transaction observers (`databaseDidCommit`)
/// and `afterNextTransaction` hooks fire at the batch's commit, also for a body whose savepoint
/// rolled back (``EventFeed``'s hook only wakes its listeners, which read again). A body must not
/// end the transaction itself (`COMMIT`, `ROLLBACK`); none does.
///
/// The fault memory follows serial order: after each batch, each body's outcome is recorded in
/// turn — a committed body clears the fault, a storage fault sets it, any other error leaves it —
/// then the callers are answered.
final class GroupCommit: Sendable {
    /// The most bodies one batch runs: bounds a batch's transaction (its time, its WAL frames) and
    /// the wait of the last caller in it.
    static let batchLimit = 64

    private struct Queue {
        var waiting: [any BatchedWrite] = []
        var draining = false
    }

    private let writer: any DatabaseWriter
    private let path: String
    private let faults: StorageFaultMemory
    private let queue = Mutex(Queue())

    /// - Parameters:
    ///   - writer: the database; its writer connection runs the batches.
    ///   - path: the file, named in storage faults.
    ///   - faults: what the health check reads.
    init(writer: any DatabaseWriter, path: String, faults: StorageFaultMemory) {
        self.writer = writer
        self.path = path
        self.faults = faults
    }

    /// The writes queued for the next batch, not yet running.
    var waiting: Int { self.queue.withLock { $0.waiting.count } }

    /// Runs `body` in its own savepoint of the next batch; returns once the batch committed.
    /// - Throws: `body`'s error (its savepoint rolled back); a ``StorageFault`` when the batch could
    ///   not commit, or the storage refused `body`'s own statements.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        // The call holds the body only until it ran (or its batch failed), and the caller is
        // resumed after that, so the body never outlives this call.
        try await withoutActuallyEscaping(body) { (body: @escaping @Sendable (Database) throws -> T) async throws -> T in
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                self.enqueue(BatchedCall<T>(body, continuation: continuation, path: self.path))
            }
        }
    }

    private func enqueue(_ call: any BatchedWrite) {
        let start = self.queue.withLock { (queue: inout Queue) -> Bool in
            queue.waiting.append(call)
            guard !queue.draining else { return false }
            queue.draining = true
            return true
        }
        // The batches run on the writer connection's own queue, one after the other, and their
        // callers are resumed from there: no task of ours between a caller and its commit.
        if start { self.writer.asyncWriteWithoutTransaction { db in self.drain(db) } }
    }

    /// Runs batches on `db`, the writer connection, until nothing waits.
    private func drain(_ db: Database) {
        while let batch = self.nextBatch() {
            let failure = self.commit(batch, in: db)
            let outcomes = batch.map { $0.settle(failure: failure) }
            for outcome in outcomes {
                switch outcome {
                case .committed: self.faults.record(nil)
                case .fault(let fault): self.faults.record(fault)
                case .failed: break
                }
            }
            for call in batch { call.resume() }
        }
    }

    private func nextBatch() -> [any BatchedWrite]? {
        self.queue.withLock { (queue: inout Queue) -> [any BatchedWrite]? in
            guard !queue.waiting.isEmpty else {
                queue.draining = false
                return nil
            }
            let batch = Array(queue.waiting.prefix(Self.batchLimit))
            queue.waiting.removeFirst(batch.count)
            return batch
        }
    }

    /// Runs `batch` in one transaction of `db` and commits it; `nil` once committed, else why not.
    private func commit(_ batch: [any BatchedWrite], in db: Database) -> (any Error)? {
        do {
            try db.inTransaction {
                // A lone body needs no savepoint: the transaction is its own, rolled back if it
                // throws.
                let savepoints = batch.count > 1
                for call in batch {
                    let error = call.run(in: db, savepoint: savepoints)
                    // SQLite rolled the whole transaction back under the body (a storage fault):
                    // the bodies before it are gone too.
                    if let error, !db.isInsideTransaction { throw error }
                    if error != nil, !savepoints { return .rollback }
                }
                CrashPoints.reach(.databaseBatchUncommitted, "\(batch.count)")
                return .commit
            }
            return nil
        } catch {
            return error
        }
    }
}

/// How a batched body ended, for the fault memory.
enum BatchedOutcome {
    /// Its changes committed.
    case committed
    /// The storage refused it, or its batch.
    case fault(StorageFault)
    /// Its own error, not the storage's.
    case failed
}

/// One caller's body in a batch, its outcome and its caller.
protocol BatchedWrite: Sendable {
    /// Runs the body, in its own savepoint when `savepoint` (else the batch's transaction is the
    /// body's alone); its error, if it threw (its savepoint rolled back, or the batch must be).
    func run(in db: Database, savepoint: Bool) -> (any Error)?
    /// Settles the caller's answer: the body's outcome, or `failure` when the batch did not commit.
    func settle(failure: (any Error)?) -> BatchedOutcome
    /// When the body committed, runs what it asked to run after its commit; then answers the
    /// caller what ``settle(failure:)`` settled.
    func resume()
}

private final class BatchedCall<T: Sendable>: BatchedWrite {
    private struct State {
        var body: (@Sendable (Database) throws -> T)?
        var outcome: Result<T, any Error>?
        var continuation: CheckedContinuation<T, any Error>?
        /// What the body asked to run once it is committed (``SQLConnection/afterCommit(_:)``).
        var afterCommit: [@Sendable () -> Void] = []
    }

    private let state: Mutex<State>
    private let path: String

    init(_ body: @escaping @Sendable (Database) throws -> T, continuation: CheckedContinuation<T, any Error>, path: String) {
        self.state = Mutex(State(body: body, continuation: continuation))
        self.path = path
    }

    func run(in db: Database, savepoint: Bool) -> (any Error)? {
        guard let body = self.state.withLock({ $0.body.take() }) else { return nil }
        AfterCommit.begin(db)
        do {
            if savepoint {
                try db.inSavepoint {
                    let value = try body(db)
                    self.state.withLock { $0.outcome = .success(value) }
                    return .commit
                }
            } else {
                let value = try body(db)
                self.state.withLock { $0.outcome = .success(value) }
            }
            self.state.withLock { $0.afterCommit = AfterCommit.end(db) }
            return nil
        } catch {
            _ = AfterCommit.end(db)
            self.state.withLock { $0.outcome = .failure(error) }
            return error
        }
    }

    func settle(failure: (any Error)?) -> BatchedOutcome {
        self.state.withLock { (state: inout State) -> BatchedOutcome in
            state.body = nil
            let error: any Error
            if let failure {
                error = failure
            } else if case .failure(let own)? = state.outcome {
                error = own
            } else if state.outcome == nil {
                error = BatchedCallNotRun()
            } else {
                return .committed
            }
            guard let fault = StorageFault(error, path: self.path) else {
                state.outcome = .failure(error)
                return .failed
            }
            state.outcome = .failure(fault)
            return .fault(fault)
        }
    }

    func resume() {
        let taken: (CheckedContinuation<T, any Error>?, Result<T, any Error>?, [@Sendable () -> Void]) = self.state.withLock { state in
            defer { state.afterCommit = [] }
            return (state.continuation.take(), state.outcome, state.afterCommit)
        }
        guard let continuation = taken.0 else { return }
        let outcome = taken.1 ?? Result<T, any Error>.failure(BatchedCallNotRun())
        // Committed: the body's savepoint was kept and its batch committed (settle made a batch
        // failure the outcome). The actions have run when the caller's write returns.
        if case .success = outcome { for action in taken.2 { action() } }
        continuation.resume(with: outcome)
    }
}

/// A batched body that never ran although its batch committed: cannot happen (every body of a
/// batch runs before the commit); its caller gets this rather than a made-up success.
struct BatchedCallNotRun: Error, CustomStringConvertible {
    var description: String { "the write's batch committed without running it" }
}
