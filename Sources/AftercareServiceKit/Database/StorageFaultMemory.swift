import Synchronization

/// The storage fault of a database's last write, until a write succeeds: what its health check
/// reports, and why it probes a write instead of trusting a read.
final class StorageFaultMemory: Sendable {
    private let fault = Mutex<StorageFault?>(nil)

    /// The last write's fault; `nil` once a write succeeded after it.
    var last: StorageFault? { self.fault.withLock { $0 } }

    /// Remembers the outcome of a write: its fault, or none.
    func record(_ fault: StorageFault?) {
        self.fault.withLock { $0 = fault }
    }
}
