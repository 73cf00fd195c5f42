package import AftercareServiceKit

extension SagaEngine {
    /// `aftercare_sagas{kind,state}`, read at each scrape from the saga log: the sagas of each
    /// definition that are `running`, `compensating` or `stuck` (waiting for an operator). Finished
    /// ones are `aftercare_saga_finished_total`'s.
    package var scrapeProbe: ScrapeProbe {
        let gauges = CountedGauges(label: "aftercare_sagas", dimensions: ["kind", "state"])
        return ScrapeProbe(name: "sagas by state") { gauges.record(try await self.unfinished(countedBy: gauges)) }
    }

    /// How many sagas of each definition are `running`, `compensating` or `stuck`, keyed by
    /// `[definition, state]` as `gauges` (dimensions `kind`, `state`) counts them.
    package func unfinished(countedBy gauges: CountedGauges) async throws -> [[String]: Int] {
        try await self.database.snapshot { db in
            try gauges.counts(try db.query("""
                SELECT definition, state, COUNT(*) FROM sagas
                WHERE state IN ('running', 'compensating', 'stuck') GROUP BY definition, state
                """, []))
        }
    }
}
