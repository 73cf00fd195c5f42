public import NIOCore

/// A task executor that runs its tasks' jobs on one NIO event loop.
///
/// A caller that makes many calls (a relay, a load generator, a saga runner) pays two thread
/// hops per call when it runs in Swift's concurrency pool: into the connection's event loop to
/// send, and back into the pool when the answer resumes it. Run it on the event loop of the
/// connection it calls through instead, and both hops are gone: the call opens on the loop, and
/// the loop resumes the caller where it read the answer. Give the client's transport that one
/// loop as its group, and prefer this executor for the callers:
///
/// ```swift
/// let loop = MultiThreadedEventLoopGroup.singleton.next()
/// let client = RPCClient(
///     transport: NIOClientTransport(address: address, tls: tls, eventLoopGroup: loop),
///     configuration: .init(name: "relay"), logger: logger)
/// try await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
///     // these tasks, and the child tasks they start, run on `loop`
/// }
/// ```
///
/// Code that runs here holds the loop, and every connection on it, while it runs: keep the work
/// between two suspension points short, and never block (no `wait()`, no synchronous I/O).
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the jobs run on.
    public let eventLoop: any EventLoop

    /// An executor running its jobs on `eventLoop`.
    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
