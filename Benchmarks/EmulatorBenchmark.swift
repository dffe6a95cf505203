import AsyncHTTPClient
import ChatEmulator
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Measures the emulator: seeding time and peak RSS for a large workspace, then list-messages throughput over
/// loopback HTTPS with AsyncHTTPClient. Prints one `key=value` line per figure.
///
/// Arguments: `--messages N` (default 1000000), `--threads N` (default 1000), `--concurrency N` (default 4),
/// `--list-limit N` (messages to fetch for throughput, default 300000).
enum EmulatorBenchmark {
    static func run(arguments: [String]) async throws {
        func value(_ name: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
                let parsed = Int(arguments[index + 1])
            else { return fallback }
            return parsed
        }
        let messages = value("--messages", 1_000_000)
        let threads = value("--threads", 1000)
        let concurrency = max(1, value("--concurrency", 4))
        let listLimit = value("--list-limit", 300_000)
        let clock = ContinuousClock()
        let seedStart = clock.now
        let plan = SeedPlan(threads: threads, totalMessages: messages, seed: 1)
        try await ChatEmulator.withRunning(EmulatorConfiguration(seed: plan)) { emulator in
            let seedSeconds = seconds(clock.now - seedStart)
            print(
                "emulator.seed messages=\(messages) threads=\(threads) seconds=\(format(seedSeconds)) "
                    + "messagesPerSecond=\(Int(Double(messages) / seedSeconds)) peakRSSMiB=\(peakRSSMiB())"
            )
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(emulator.certificatePEM.utf8)))
            var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
            configuration.httpVersion = .http1Only
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
            let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            do {
                let threadIDs = await emulator.threadIDs()
                var work: [(thread: String, token: String)] = []
                for thread in threadIDs {
                    guard let member = await emulator.participantIDs(threadID: thread)?.first else { continue }
                    work.append((thread, try await emulator.issueToken(for: member)))
                }
                let listStart = clock.now
                let fetched = try await withThrowingTaskGroup(of: Int.self) { group in
                    let share = max(1, listLimit / concurrency)
                    for worker in 0..<concurrency {
                        let mine = work.enumerated().filter { $0.offset % concurrency == worker }.map(\.element)
                        group.addTask {
                            var count = 0
                            for item in mine where count < share {
                                count += try await listAll(
                                    http: http,
                                    port: emulator.port,
                                    threadID: item.thread,
                                    token: item.token,
                                    limit: share - count
                                )
                            }
                            return count
                        }
                    }
                    return try await group.reduce(0, +)
                }
                let listSeconds = seconds(clock.now - listStart)
                print(
                    "emulator.listMessages messages=\(fetched) seconds=\(format(listSeconds)) "
                        + "messagesPerSecond=\(Int(Double(fetched) / listSeconds)) pageSize=200 concurrency=\(concurrency) "
                        + "peakRSSMiB=\(peakRSSMiB())"
                )
                try await http.shutdown()
            } catch {
                try? await http.shutdown()
                throw error
            }
        }
    }

    /// Pages through one thread's messages (200 per page) and returns how many arrived.
    private static func listAll(
        http: HTTPClient,
        port: Int,
        threadID: String,
        token: String,
        limit: Int
    ) async throws
        -> Int
    {
        let encoded = threadID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? threadID
        var url: String? =
            "https://localhost:\(port)/chat/threads/\(encoded)/messages?maxPageSize=200&api-version=2024-03-07"
        var count = 0
        while let next = url, count < limit {
            var request = HTTPClientRequest(url: next)
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let response = try await http.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
            guard response.status == .ok else { throw BenchmarkFailure(status: Int(response.status.code)) }
            let page = try JSONDecoder().decode(Page.self, from: Data(body.readableBytesView))
            count += page.value.count
            url = page.nextLink
        }
        return count
    }

    private struct Page: Decodable {
        struct Item: Decodable { var id: String }
        var value: [Item]
        var nextLink: String?
    }

    private struct BenchmarkFailure: Error { var status: Int }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    /// The process's peak resident set (VmHWM) in MiB, or -1 where /proc is unavailable.
    private static func peakRSSMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes / 1024
        }
        return -1
    }
}
