package import AftercareServiceKit

extension SagaEngine {
    /// `aftercare_sagas{kind,state}`, read at each scrape from the saga log: the sagas of each
    /// definition that are `running`, `compensating` or `stuck` (waiting for an operator). Finished
    /// ones are `aftercare_saga_finished_total`'s.
    package var scrapeProbe: ScrapeProbe {
        let gauges = CountedGauges(label: "aftercare_sagas", dimensions: ["kind", "state"])
        return ScrapeProbe(name: "sagas by state") {
            let counts = try await self.database.snapshot { db in
                try gauges.counts(try db.query("""
                    SELECT definition, state, COUNT(*) FROM sagas
                    WHERE state IN ('running', 'compensating', 'stuck') GROUP BY definition, state
                    """, []))
            }
            gauges.record(counts)
        }
    }
}
