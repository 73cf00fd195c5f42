// swift-tools-version: 6.2
import PackageDescription

/// Settings every target of ours shares: Swift 6 language mode, warnings as errors, and the upcoming
/// features that keep the layering honest (imports are internal unless a public API needs them).
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "aftercare",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AftercareWire", targets: ["AftercareWire"]),
        .library(name: "AftercareRPC", targets: ["AftercareRPC"]),
        .library(name: "AftercareNIO", targets: ["AftercareNIO"]),
        .library(name: "AftercareServiceKit", targets: ["AftercareServiceKit"]),
        .library(name: "AftercareOrdersAPI", targets: ["AftercareOrdersAPI"]),
        .library(name: "AftercarePaymentsAPI", targets: ["AftercarePaymentsAPI"]),
        .library(name: "AftercareLogisticsAPI", targets: ["AftercareLogisticsAPI"]),
        .library(name: "AftercareFeedbackAPI", targets: ["AftercareFeedbackAPI"]),
        .library(name: "AftercareAftersalesAPI", targets: ["AftercareAftersalesAPI"]),
        .library(name: "AftercareGatewayAPI", targets: ["AftercareGatewayAPI"]),
        .library(name: "AftercareSagas", targets: ["AftercareSagas"]),
        // What applications add to their Package.swift: a typed client of the gateway.
        .library(name: "AftercareClient", targets: ["AftercareClient"]),
        // The domains, for the benchmark package (Benchmarks/), which serves them in process.
        .library(name: "AftercareOrders", targets: ["AftercareOrders"]),
        .library(name: "AftercarePayments", targets: ["AftercarePayments"]),
        .library(name: "AftercareLogistics", targets: ["AftercareLogistics"]),
        .executable(name: "aftercare-echo", targets: ["AftercareEchoServer"]),
        .executable(name: "aftercare-orders", targets: ["AftercareOrdersServer"]),
        .executable(name: "aftercare-payments", targets: ["AftercarePaymentsServer"]),
        .executable(name: "aftercare-logistics", targets: ["AftercareLogisticsServer"]),
        .executable(name: "aftercare-feedback", targets: ["AftercareFeedbackServer"]),
        .executable(name: "aftercare-aftersales", targets: ["AftercareAftersalesServer"]),
        .executable(name: "aftercare-gateway", targets: ["AftercareGatewayServer"]),
        .executable(name: "aftercare-example-order", targets: ["AftercareExampleOrder"]),
        .executable(name: "aftercare", targets: ["AftercareCLI"]),
        .executable(name: "aftercare-demo", targets: ["AftercareDemo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // PostgreSQL: the database layer's second driver (AftercareServiceKit/Database/Postgres).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // Metrics: the swift-metrics API in the runtime and the saga engine (a no-op unless a
        // service bootstraps a backend), exported by swift-prometheus on `metrics.listen`.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Traces: the swift-distributed-tracing API in the runtime and the saga engine (no spans unless
        // a service bootstraps a tracer), exported by swift-otel over OTLP/HTTP to
        // `tracing.otlp.endpoint`. Only its OTLPHTTP trait: OTLPGRPC would add grpc-swift (README,
        // "Traces", has the measured cost of each).
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        // `swift package generate-documentation` (make docs, in make test): a command plugin, built
        // only when documentation is generated.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(
            url: "https://github.com/apple/swift-configuration.git", from: "1.4.0",
            traits: [.defaults, "YAML", "CommandLineArguments"]
        ),
    ],
    targets: [
        // The frame format only: header, frame bodies, TLVs, encoder and decoder. NIOCore, nothing else.
        .target(
            name: "AftercareWire",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // What the fuzzer runs on each input; the tests replay the regression inputs through it.
        .target(
            name: "AftercareWireFuzzing",
            dependencies: ["AftercareWire", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // The call layer: status, errors, metadata, saga context, handlers, client and server connections.
        // Knows frames but no sockets.
        .target(
            name: "AftercareRPC",
            dependencies: [
                "AftercareWire",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        // Unix-domain-socket and TCP transports, plaintext, TLS and mutual TLS.
        .target(
            name: "AftercareNIO",
            dependencies: [
                "AftercareWire",
                "AftercareRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A client and a server joined by a socket pair in one process: the whole protocol with no
        // listening socket, for tests.
        .target(
            name: "AftercareInProcess",
            dependencies: [
                "AftercareWire", "AftercareRPC", "AftercareNIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The registry of named crash points (saga engine, router, services' write paths) and the
        // one armed in this process (test mode): a test makes a process die at an exact instant.
        .target(
            name: "AftercareCrashPoints",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // A fault-injecting wrapper around any client transport: drop, delay, duplicate, reorder, cut.
        .target(
            name: "AftercareFaults",
            dependencies: ["AftercareRPC", "AftercareWire", "AftercareCrashPoints", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // The echo contract and service: the protocol's own test and benchmark service.
        .target(
            name: "AftercareEcho",
            dependencies: [
                "AftercareRPC",
                "AftercareWire",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AftercareEchoServer",
            dependencies: [
                "AftercareBuildInfo",
                "AftercareEcho",
                "AftercareRPC",
                "AftercareNIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // What every service shares below the network: its SQLite database (GRDB), the event feed
        // (transactional outbox), the step and idempotency ledgers, spans kept in the database, the
        // service clock, and the Feed, Steps and Operator methods every service answers.
        .target(
            name: "AftercareServiceKit",
            dependencies: [
                "AftercareCrashPoints",
                "AftercareRPC",
                "AftercareWire",
                "AftercareFaults",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        // The build's version, from git describe at build time (the plugin below).
        .target(name: "AftercareBuildInfo", swiftSettings: swiftSettings, plugins: ["AftercareBuildVersionPlugin"]),
        .plugin(name: "AftercareBuildVersionPlugin", capability: .buildTool(), path: "Sources/AftercareBuildVersionPlugin"),
        // What every service executable shares: configuration (file, environment, flags), transports
        // and TLS, the service group with graceful shutdown.
        .target(
            name: "AftercareServiceRuntime",
            dependencies: [
                "AftercareBuildInfo",
                "AftercareCrashPoints",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareNIO",
                "AftercareFaults",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // Orders: the contract (generated messages, method descriptors), the domain (rules, store,
        // handlers) and the executable `aftercare-orders` (services/orders/).
        .target(
            name: "AftercareOrdersAPI",
            dependencies: [
                "AftercareRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AftercareOrders",
            dependencies: [
                "AftercareOrdersAPI",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareWire",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AftercareOrdersServer",
            dependencies: [
                "AftercareOrders",
                "AftercareServiceRuntime",
                "AftercareServiceKit",
                "AftercareRPC",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "services/orders",
            exclude: ["orders.yaml", "aftercare-orders.service", "several-hosts.conf"],
            swiftSettings: swiftSettings
        ),
        // Payments: the contract (generated messages, method descriptors), the domain (rules, store,
        // handlers) and the executable `aftercare-payments` (services/payments/).
        .target(
            name: "AftercarePaymentsAPI",
            dependencies: [
                "AftercareRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AftercarePayments",
            dependencies: [
                "AftercareCrashPoints",
                "AftercarePaymentsAPI",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareWire",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AftercarePaymentsServer",
            dependencies: [
                "AftercarePayments",
                "AftercareServiceRuntime",
                "AftercareServiceKit",
                "AftercareRPC",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "services/payments",
            exclude: ["payments.yaml", "aftercare-payments.service", "several-hosts.conf"],
            swiftSettings: swiftSettings
        ),
        // Logistics: the contract (generated messages, method descriptors), the domain (rules, store,
        // handlers) and the executable `aftercare-logistics` (services/logistics/).
        .target(
            name: "AftercareLogisticsAPI",
            dependencies: [
                "AftercareRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AftercareLogistics",
            dependencies: [
                "AftercareLogisticsAPI",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareWire",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AftercareLogisticsServer",
            dependencies: [
                "AftercareLogistics",
                "AftercareServiceRuntime",
                "AftercareServiceKit",
                "AftercareRPC",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "services/logistics",
            exclude: ["logistics.yaml", "aftercare-logistics.service", "several-hosts.conf"],
            swiftSettings: swiftSettings
        ),
        // Feedback: reviews of delivered order lines and of the platform, replies, appeals, seller scores.
        .target(
            name: "AftercareFeedbackAPI",
            dependencies: [
                "AftercareRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // It follows aftersales' feed (the cases on order lines) with a client of its own.
        .target(
            name: "AftercareFeedback",
            dependencies: [
                "AftercareFeedbackAPI",
                "AftercareAftersalesAPI",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareNIO",
                "AftercareFaults",
                "AftercareWire",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AftercareFeedbackServer",
            dependencies: [
                "AftercareFeedback",
                "AftercareServiceRuntime",
                "AftercareServiceKit",
                "AftercareRPC",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "services/feedback",
            exclude: ["feedback.yaml", "aftercare-feedback.service", "several-hosts.conf"],
            swiftSettings: swiftSettings
        ),
        // Aftersales: cases, the case machines as data, the review policy and its decisions, timers.
        .target(
            name: "AftercareAftersalesAPI",
            dependencies: [
                "AftercareRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AftercareAftersales",
            dependencies: [
                "AftercareAftersalesAPI",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareWire",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Store/Records/aftersales_records.proto"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AftercareAftersalesServer",
            dependencies: [
                "AftercareAftersales",
                "AftercareServiceRuntime",
                "AftercareServiceKit",
                "AftercareRPC",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "services/aftersales",
            exclude: ["aftersales.yaml", "aftercare-aftersales.service", "several-hosts.conf", "policy.yaml"],
            swiftSettings: swiftSettings
        ),
        // The durable saga engine: definitions, the saga log, retries, compensations. Knows no domain.
        .target(
            name: "AftercareSagas",
            dependencies: [
                "AftercareCrashPoints",
                "AftercareRPC",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                "AftercareWire",
                "AftercareServiceKit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        // The gateway's contract: the public and operator APIs (generated messages, method descriptors).
        .target(
            name: "AftercareGatewayAPI",
            dependencies: [
                "AftercareRPC",
                "AftercareOrdersAPI",
                "AftercarePaymentsAPI",
                "AftercareLogisticsAPI",
                "AftercareAftersalesAPI",
                "AftercareFeedbackAPI",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // `make run`'s five scenarios (Examples/Demo), through the client library.
        .executableTarget(
            name: "AftercareDemo",
            dependencies: [
                "AftercareClient",
                "AftercareGatewayAPI",
                "AftercareOrdersAPI",
                "AftercareLogisticsAPI",
                "AftercareAftersalesAPI",
                "AftercarePaymentsAPI",
                "AftercareRPC",
                "AftercareNIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Examples/Demo",
            swiftSettings: swiftSettings
        ),
        // Examples/ReturnAndRefund's source (a package of its own for applications to copy), built
        // here too so it keeps compiling against the library.
        .executableTarget(
            name: "AftercareExampleReturn",
            dependencies: [
                "AftercareClient",
                "AftercareGatewayAPI",
                "AftercareOrdersAPI",
                "AftercarePaymentsAPI",
                "AftercareLogisticsAPI",
                "AftercareAftersalesAPI",
                "AftercareRPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Examples/ReturnAndRefund/Sources/ReturnAndRefund",
            swiftSettings: swiftSettings
        ),
        // The `aftercare` CLI: the operator API for on-call engineers, text or --json.
        .executableTarget(
            name: "AftercareCLI",
            dependencies: [
                "AftercareClient",
                "AftercareGatewayAPI",
                "AftercareRPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // The client library: a typed async method for every gateway call, configuration, retries,
        // one error type (Documentation.docc has the getting-started article).
        .target(
            name: "AftercareClient",
            dependencies: [
                "AftercareGatewayAPI",
                "AftercareRPC",
                "AftercareNIO",
                "AftercareWire",
                "AftercareOrdersAPI",
                "AftercarePaymentsAPI",
                "AftercareLogisticsAPI",
                "AftercareAftersalesAPI",
                "AftercareFeedbackAPI",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The gateway's domain: the public and operator APIs, the seven sagas on the engine, the event
        // router, the inboxes, reconciliation.
        .target(
            name: "AftercareGateway",
            dependencies: [
                "AftercareCrashPoints",
                "AftercareGatewayAPI",
                "AftercareFaults",
                "AftercareSagas",
                "AftercareOrdersAPI",
                "AftercarePaymentsAPI",
                "AftercareLogisticsAPI",
                "AftercareAftersalesAPI",
                "AftercareFeedbackAPI",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareNIO",
                "AftercareWire",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AftercareGatewayServer",
            dependencies: [
                "AftercareGateway",
                "AftercareServiceRuntime",
                "AftercareServiceKit",
                "AftercareRPC",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "services/gateway",
            exclude: ["gateway.yaml", "aftercare-gateway.service", "several-hosts.conf"],
            swiftSettings: swiftSettings
        ),
        // `aftercare-example-order`: one order through orders, payments, logistics, aftersales and feedback, calling each service directly.
        .executableTarget(
            name: "AftercareExampleOrder",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                "AftercareGatewayAPI",
                "AftercareAftersalesAPI",
                "AftercareFeedbackAPI",
                "AftercareOrdersAPI",
                "AftercarePaymentsAPI",
                "AftercareLogisticsAPI",
                "AftercareRPC",
                "AftercareNIO",
                "AftercareWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/OrderJourney",
            swiftSettings: swiftSettings
        ),
        // Test kit: temporary run directories, development certificates, a server in process.
        .target(
            name: "AftercareTesting",
            dependencies: [
                "AftercareRPC",
                "AftercareNIO",
                "AftercareInProcess",
                "AftercareEcho",
                "AftercareWire",
                "AftercareServiceKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercareWireTests",
            dependencies: [
                "AftercareWire",
                "AftercareWireFuzzing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercareRPCTests",
            dependencies: [
                "AftercareRPC",
                "AftercareWire",
                "AftercareInProcess",
                "AftercareEcho",
                "AftercareTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercareFaultsTests",
            dependencies: [
                "AftercareFaults",
                "AftercareRPC",
                "AftercareWire",
                "AftercareEcho",
                "AftercareTesting",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercareNIOTests",
            dependencies: [
                "AftercareNIO",
                "AftercareRPC",
                "AftercareWire",
                "AftercareEcho",
                "AftercareTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercareServiceKitTests",
            dependencies: [
                "AftercareBuildInfo",
                "AftercareCrashPoints",
                "AftercareServiceKit",
                "AftercareFaults",
                .product(name: "Configuration", package: "swift-configuration"),
                "AftercareServiceRuntime",
                "AftercareRPC",
                "AftercareWire",
                "AftercareNIO",
                "AftercareOrdersAPI",
                "AftercareTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercareOrdersTests",
            dependencies: [
                "AftercareOrders",
                "AftercareOrdersAPI",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareWire",
                "AftercareTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercarePaymentsTests",
            dependencies: [
                "AftercarePayments",
                "AftercarePaymentsAPI",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareWire",
                "AftercareTesting",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercareLogisticsTests",
            dependencies: [
                "AftercareLogistics",
                "AftercareLogisticsAPI",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareWire",
                "AftercareTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        // The services together: the real executables over Unix sockets with mutual TLS.
        .testTarget(
            name: "AftercareSystemTests",
            dependencies: [
                "AftercareExampleOrder",
                "AftercareAftersalesAPI",
                "AftercareFeedbackAPI",
                "AftercareOrdersAPI",
                "AftercarePaymentsAPI",
                "AftercareLogisticsAPI",
                "AftercareRPC",
                "AftercareWire",
                "AftercareTesting",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercareFeedbackTests",
            dependencies: [
                "AftercareFeedback",
                "AftercareFeedbackAPI",
                "AftercareAftersalesAPI",
                "AftercareNIO",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareWire",
                "AftercareTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercareAftersalesTests",
            dependencies: [
                "AftercareAftersales",
                "AftercareAftersalesAPI",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareWire",
                "AftercareTesting",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercareSagasTests",
            dependencies: [
                "AftercareSagas",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareWire",
                "AftercareFaults",
                "AftercareTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AftercareGatewayTests",
            dependencies: [
                "AftercareCrashPoints",
                "AftercareServiceRuntime",
                "AftercareGatewayAPI",
                "AftercareGateway",
                "AftercareSagas",
                "AftercareOrders",
                "AftercarePayments",
                "AftercareLogistics",
                "AftercareAftersales",
                "AftercareFeedback",
                "AftercareOrdersAPI",
                "AftercarePaymentsAPI",
                "AftercareLogisticsAPI",
                "AftercareAftersalesAPI",
                "AftercareFeedbackAPI",
                "AftercareServiceKit",
                "AftercareRPC",
                "AftercareWire",
                "AftercareNIO",
                "AftercareFaults",
                "AftercareTesting",
                "AftercareClient",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["BadInput/README.md"],
            swiftSettings: swiftSettings
        ),
        // The CLI's text laid out for widths, from responses built by hand: no services needed.
        .testTarget(
            name: "AftercareCLITests",
            dependencies: [
                "AftercareCLI", "AftercareGatewayAPI", "AftercareAftersalesAPI", "AftercareRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
