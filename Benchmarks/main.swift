// Runnable benchmarks: `swift run -c release chat-archive-bench <name> [options]`. They print figures; they are
// never part of the pass/fail suite.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: chat-archive-bench sanitizer|store|sync|search|export|emulator [options]"
guard let name = arguments.first else {
    print(usage)
    exit(2)
}
let rest = Array(arguments.dropFirst())
switch name {
case "sanitizer": try SanitizerBenchmark.run(arguments: rest)
case "store": try await StoreBenchmark.run(arguments: rest)
case "sync": try await SyncBenchmark.run(arguments: rest)
case "search": try await SearchBenchmark.run(arguments: rest)
case "export": try ExportBenchmark.run(arguments: rest)
case "emulator": try await EmulatorBenchmark.run(arguments: rest)
default:
    print(usage)
    exit(2)
}
