/// Every phase of the saga benchmark on one kind of database.
struct SagaRun {
    /// "SQLite" or "PostgreSQL".
    let database: String
    /// The PostgreSQL server's `-c` settings (`nil` on SQLite).
    let settings: [String]?
    let phases: [SagaPhaseResult]
}
