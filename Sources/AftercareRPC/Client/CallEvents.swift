import AftercareWire
import NIOCore

/// What arrived on a client call and was not read yet, oldest first. The oldest event is kept
/// inline, so a unary call's one response message needs no array.
struct CallEvents {
    enum Event: Sendable {
        case message(ByteBuffer)
        case end(EndBody)
    }

    private var first: Event?
    /// The events after `first`; those before `laterHead` were read.
    private var later: [Event] = []
    private var laterHead = 0

    var isEmpty: Bool { self.first == nil }

    mutating func append(_ event: Event) {
        if self.first == nil {
            self.first = event
        } else {
            self.later.append(event)
        }
    }

    mutating func popFirst() -> Event? {
        guard let event = self.first else { return nil }
        self.first = nil
        if self.laterHead < self.later.count {
            self.first = self.later[self.laterHead]
            self.laterHead += 1
            if self.laterHead == self.later.count { self.clearLater() }
        }
        return event
    }

    /// Removes and returns END, which arrives last, if it has arrived.
    mutating func removeEnd() -> EndBody? {
        if self.laterHead < self.later.count {
            guard case .end(let body) = self.later[self.later.count - 1] else { return nil }
            self.later.removeLast()
            if self.laterHead == self.later.count { self.clearLater() }
            return body
        }
        guard case .end(let body)? = self.first else { return nil }
        self.first = nil
        return body
    }

    /// The first message not read yet, and how many there are.
    var messages: (first: ByteBuffer?, count: Int) {
        var first: ByteBuffer?
        var count = 0
        var index = self.laterHead - 1
        var event = self.first
        while let current = event {
            if case .message(let message) = current {
                if first == nil { first = message }
                count += 1
            }
            index += 1
            event = index < self.later.count ? self.later[index] : nil
        }
        return (first, count)
    }

    private mutating func clearLater() {
        self.later.removeAll(keepingCapacity: true)
        self.laterHead = 0
    }
}
