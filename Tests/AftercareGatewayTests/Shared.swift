import Synchronization

/// A value tasks share, behind a lock.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) {
        self.value = Mutex(value)
    }

    /// Changes the value; answers what `change` answers.
    func change<Result: Sendable>(_ change: (inout Value) -> Result) -> Result {
        self.value.withLock { change(&$0) }
    }

    var current: Value { self.value.withLock { $0 } }
}
