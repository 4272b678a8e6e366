// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "scim-doctor",
    products: [
        .executable(name: "scim-doctor", targets: ["scim-doctor"])
    ],
    targets: [
        // libcurl, through typed inline wrappers (see Sources/CCurl/shim.h).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Model, probe engine, probes, reporters and the command line. Never imports CCurl.
        .target(name: "ScimDoctorKit"),
        // The only code that touches libcurl (and the system resolver).
        .target(name: "CurlTransport", dependencies: ["CCurl", "ScimDoctorKit"]),
        // Thin executable: parse arguments, wire things up, set the exit code.
        .executableTarget(name: "scim-doctor", dependencies: ["ScimDoctorKit", "CurlTransport"]),
        .testTarget(name: "ScimDoctorKitTests", dependencies: ["ScimDoctorKit"]),
        .testTarget(name: "CurlTransportTests", dependencies: ["CurlTransport", "ScimDoctorKit"]),
    ],
    swiftLanguageModes: [.v6]
)
