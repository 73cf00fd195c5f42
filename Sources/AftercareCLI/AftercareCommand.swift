import ArgumentParser

/// `aftercare`: the on-call engineers' CLI. It talks only to the gateway's operator API
/// (`aftercare.gateway.v1.Operations`, and the public API's reads), with the operator certificate.
@main
struct AftercareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aftercare",
        abstract: "Trace and repair Aftercare's sagas, cases and services through the gateway's operator API.",
        discussion: """
            Connects to the gateway with mutual TLS as the operator certificate (cli). With --run-dir \
            (or AFTERCARE_RUN_DIR) it uses `make run`'s layout; otherwise --gateway, --ca, --cert and \
            --key (defaults: /run/aftercare/gateway.sock and /etc/aftercare/certs/). Every command \
            takes --json for scripts.
            """,
        subcommands: [SagaCommand.self, CaseCommand.self, TraceCommand.self, OrderCommand.self, TotalsCommand.self, PolicyCommand.self, HealthCommand.self, ReconcileCommand.self]
    )
}
