import AftercareWire
import Logging
import NIOCore
import Synchronization

// The connection's timers: the HELLO wait and the drain.
extension ServerConnection {
    func closeIfNoHello() async {
        do {
            try await Task.sleep(for: self.runtime.configuration.helloTimeout)
        } catch {
            return
        }
        let waiting = self.state.withLock { if case .awaitingHello = $0.phase { true } else { false } }
        guard waiting else { return }
        self.logger.info("no HELLO in time; closing")
        await self.fail(WireError(.helloTimeout, "no HELLO within \(self.runtime.configuration.helloTimeout)"))
        await self.connection.outbound.close()
    }

    func drainWhenAsked() async {
        var requests = self.drainRequests.makeAsyncIterator()
        guard await requests.next() != nil else { return }
        let timeout = self.runtime.configuration.drainTimeout
        let last = self.state.withLock { state -> UInt32? in
            guard case .ready = state.phase else { return nil }
            state.phase = .draining(lastStreamID: state.highestStreamID)
            return state.highestStreamID
        }
        guard let last else {
            await self.connection.outbound.close()
            return
        }
        try? await self.send(.drain(DrainBody(lastStreamID: last, reason: .shutdown, deadlineMs: Self.milliseconds(timeout))))
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !self.state.withLock({ $0.calls.isEmpty }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if !self.state.withLock({ $0.calls.isEmpty }) {
            self.stop(self.state.withLock { $0.stopAll(.shutdown) })
            await self.state.waitUntilIdle()
        }
        await self.connection.outbound.close()
    }

    /// Cancels calls whose deadline has passed.
    func sweepDeadlines() async {
        await self.deadlines.run {
            self.state.withLock { state in state.calls.values.lazy.filter { $0.stopReason == nil }.map(\.deadline).min() }
        } expire: { now in
            self.stop(self.state.withLock { $0.expire(at: now) })
        }
    }
}
