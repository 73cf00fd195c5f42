import AftercareServiceKit
import AftercareServiceRuntime

await ServiceMain.run(name: "orders", migrations: .none) { _ in ServiceParts(services: []) }
