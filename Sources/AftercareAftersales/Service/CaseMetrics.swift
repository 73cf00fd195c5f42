package import AftercareServiceKit
import CoreMetrics

/// What aftersales records through swift-metrics: every change of a case's state
/// (`aftercare_case_transitions_total{kind,from,to}`, counted once the write that made it
/// committed — not when its savepoint rolled back in a committed batch; an event recorded on a
/// case without moving it is not a transition), and, read at
/// each scrape, the open cases by kind and state (`aftercare_cases_open{kind,state}`). The labels
/// are the state machines' own names, a bounded set; never a case's id.
enum CaseMetrics {
    /// Counts `record`'s move from `from` to its state once `db`'s transaction commits.
    static func transitioned(_ record: CaseRecord, from: CaseState, in db: any SQLConnection) {
        guard record.state != from else { return }
        let counter = Counter(
            label: "aftercare_case_transitions_total",
            dimensions: [("kind", record.kind.rawValue), ("from", from.rawValue), ("to", record.state.rawValue)])
        db.afterCommit { counter.increment() }
    }

    /// The probe of `aftercare_cases_open{kind,state}`.
    static func openCases(_ database: any SQLDatabase) -> ScrapeProbe {
        let gauges = CountedGauges(label: "aftercare_cases_open", dimensions: ["kind", "state"])
        let store = AftersalesStore()
        return ScrapeProbe(name: "open cases by state") {
            let counts = try await database.snapshot { db in try store.openCaseCounts(in: db) }
            gauges.record(Dictionary(uniqueKeysWithValues: counts.map { ([$0.kind, $0.state], $0.count) }))
        }
    }
}

extension AftersalesService {
    /// The gauges of the open cases by kind and state, for `metrics.listen`'s scrape.
    package static func openCasesProbe(_ database: any SQLDatabase) -> ScrapeProbe {
        CaseMetrics.openCases(database)
    }
}
