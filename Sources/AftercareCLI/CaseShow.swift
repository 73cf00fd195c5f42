import AftercareClient
import AftercareGatewayAPI
import ArgumentParser

struct CaseShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A case: its history, its decision explained, and all its sagas on one timeline.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The case's id.")
    var caseID: String

    func run() async throws {
        let caseID = self.caseID
        let (view, sagas) = try await self.connection.withClient { client in
            let view = try await client.caseView(caseID)
            var sagas: [Aftercare_Gateway_V1_SagaView] = []
            for saga in view.sagas { sagas.append(try await client.saga(saga.sagaID)) }
            return (view, sagas)
        }
        if self.output.json { return try self.output.printJSON(["case": view, "sagas": sagas]) }
        CaseText.lines(view, sagas: sagas, style: .current, width: self.output.width).forEach { say($0) }
    }
}
