import CoreMetrics
public import Logging

extension WorkLease {
    /// Runs `work` whenever this process holds the lease, until the task is cancelled: takes the
    /// lease (trying again every third of its duration while another process holds it), then runs
    /// `work` while renewing the lease every third of its duration. When the lease is lost — a
    /// renewal finds another holder, or renewals fail until the lease ran out — `work` is
    /// cancelled; when `work` throws (``WorkLeaseLost`` from a write it confirmed, or any failure),
    /// it is logged; either way the loop waits to take the lease again. Returns, letting the lease
    /// go, when `work` returns or the task is cancelled. The gauge `aftercare_work_lease_held{work}`
    /// is 1 while this process holds the lease, else 0.
    /// - Parameters:
    ///   - logger: takeovers and losses, with `lease.name` metadata.
    ///   - work: what only the holder does; it should return once cancelled.
    public func run(logger: Logger, _ work: @escaping @Sendable () async throws -> Void) async {
        var logger = logger
        logger[metadataKey: "lease.name"] = "\(self.name)"
        let interval = self.duration / 3
        let held = Gauge(label: "aftercare_work_lease_held", dimensions: [("work", self.name)])
        held.record(0)
        while !Task.isCancelled {
            var taken = false
            do {
                taken = try await self.take()
            } catch where !Task.isCancelled {
                logger.info("cannot take the lease; trying again", metadata: ["error": "\(error)"])
            } catch {
                return
            }
            if taken {
                logger.debug("holding the lease", metadata: ["lease.owner": "\(self.owner)"])
                held.record(1)
                let spell = await self.workWhileHeld(interval, logger, work)
                held.record(0)
                switch spell {
                case .ended:
                    await self.releaseWhenStopping()
                    return
                case .lost:
                    logger.warning("lost the lease: another process does this work now")
                case .failed(let error):
                    logger.warning("the work under the lease failed; trying again", metadata: ["error": "\(error)"])
                }
            }
            do {
                try await Task.sleep(for: interval * Double.random(in: 0.8...1.2))
            } catch {
                await self.releaseWhenStopping()
                return
            }
        }
    }

    /// Lets the lease go as the work stops: in a task of its own, since a cancelled task's
    /// transactions may be refused.
    private func releaseWhenStopping() async {
        await Task { try? await self.release() }.value
    }

    /// How one spell of holding the lease ended.
    private enum Spell: Sendable {
        /// `work` returned, or the task was cancelled.
        case ended
        /// A renewal, or a write of `work`, found the lease gone.
        case lost
        /// `work` threw.
        case failed(any Error)
    }

    /// Runs `work` beside the renewals until either ends; cancels the other.
    private func workWhileHeld(_ interval: Duration, _ logger: Logger, _ work: @escaping @Sendable () async throws -> Void) async -> Spell {
        await withTaskGroup(of: Spell.self) { group in
            group.addTask {
                do {
                    try await work()
                    return .ended
                } catch is WorkLeaseLost {
                    return .lost
                } catch {
                    return Task.isCancelled ? .ended : .failed(error)
                }
            }
            group.addTask {
                await self.renewUntilLost(every: interval, logger)
                return Task.isCancelled ? .ended : .lost
            }
            let first = await group.next() ?? .ended
            group.cancelAll()
            return first
        }
    }

    /// Renews the lease every `interval`; returns when a renewal finds it gone, when renewals
    /// failed for as long as the lease lasts, or when the task is cancelled.
    private func renewUntilLost(every interval: Duration, _ logger: Logger) async {
        var renewed = ContinuousClock.now
        while true {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                guard try await self.renew() else { return }
                renewed = ContinuousClock.now
            } catch where !Task.isCancelled {
                logger.warning("cannot renew the lease", metadata: ["error": "\(error)"])
                if ContinuousClock.now - renewed >= self.duration { return }
            } catch {
                return
            }
        }
    }
}
