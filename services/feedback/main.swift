import AftercareServiceKit
import AftercareServiceRuntime

await ServiceMain.run(name: "feedback", migrations: .none) { _ in ServiceParts(services: []) }
