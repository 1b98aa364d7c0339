import Foundation
import LoopStore
import LoopTestSupport
import Testing

/// Whether this test process may make network namespaces (root, with `ip` and `unshare`).
private let canMakeNamespaces: Bool = {
    getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
}()

/// Workers on two "machines": each runs in a network namespace of its own, reaching the server
/// over a veth pair at a non-loopback address, under a hostname of its own. Nothing in the store
/// may assume the server, or the other worker, is on localhost. In CI (root) it always runs: if
/// namespaces cannot be made there, the test fails rather than skips.
@Suite(.enabled(if: looplabBinary != nil && (canMakeNamespaces || ProcessInfo.processInfo.environment["CI"] == "true"),
                "needs root, ip and unshare to make network namespaces"))
struct NetworkNamespaceTests {
    @Test func workersInTwoNetworkNamespacesShareAStudyOverVeth() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Names and subnets from the pid: concurrent test processes do not collide.
        let tag = String(getpid() % 100_000)
        let subnet = 16 + Int(getpid() % 200)
        let machines = ["a", "b"].enumerated().map { index, name in
            (namespace: "ll\(name)\(tag)", hostVeth: "llh\(name)\(tag)", nsVeth: "lln\(name)\(tag)",
             hostAddress: "10.\(subnet).\(index + 1).1", nsAddress: "10.\(subnet).\(index + 1).2", hostname: "machine-\(name)")
        }
        func sh(_ command: String) throws {
            let (status, _, errors) = ThrowawayPostgres.run(["/bin/sh", "-c", command])
            if status != 0 { throw ThrowawayPostgres.Failure(description: "\(command): \(errors)") }
        }
        defer {
            for m in machines { _ = ThrowawayPostgres.run(["/bin/sh", "-c", "ip link del \(m.hostVeth); ip netns del \(m.namespace)"]) }
        }
        for m in machines {
            try sh("""
                ip netns add \(m.namespace) && ip link add \(m.hostVeth) type veth peer name \(m.nsVeth) \
                && ip link set \(m.nsVeth) netns \(m.namespace) && ip addr add \(m.hostAddress)/24 dev \(m.hostVeth) \
                && ip link set \(m.hostVeth) up && ip netns exec \(m.namespace) ip addr add \(m.nsAddress)/24 dev \(m.nsVeth) \
                && ip netns exec \(m.namespace) ip link set \(m.nsVeth) up && ip netns exec \(m.namespace) ip link set lo up
                """)
        }
        // A server of its own that also listens on the veth addresses.
        let server = ThrowawayPostgres(environment: ["PG_LISTEN": machines.map(\.hostAddress).joined(separator: ",")])
        defer { server.stop() }
        let local = try server.freshStoreURL()
        let port = try server.port()
        let schema = try #require(URLComponents(string: local)?.queryItems?.first?.value)

        try WorkersTests.script(trials: 12, seconds: 0.2).write(to: dir.appendingPathComponent("s.loop"), atomically: true, encoding: .utf8)
        let binary = try #require(looplabBinary)
        let stdlib = repositoryRoot.appendingPathComponent("stdlib").path
        // Both machines at once; each writes its output and exit status to files.
        let runs = machines.map { m in
            let url = "postgresql://looplab:looplab-test@\(m.hostAddress):\(port)/looplab?schema=\(schema)"
            return """
                (cd '\(dir.path)' && LOOPLAB_STDLIB='\(stdlib)' ip netns exec \(m.namespace) unshare --uts /bin/sh -c \
                "hostname \(m.hostname) && exec '\(binary)' run --store '\(url)' s.loop" >\(m.hostname).out 2>&1; \
                echo $? > '\(dir.path)/\(m.hostname).rc') &
                """
        }
        try sh(runs.joined(separator: "\n") + "\nwait")
        for m in machines {
            let output = (try? String(contentsOf: dir.appendingPathComponent("\(m.hostname).out"), encoding: .utf8)) ?? ""
            let status = (try? String(contentsOf: dir.appendingPathComponent("\(m.hostname).rc"), encoding: .utf8)) ?? "?"
            #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(m.hostname): \(output)")
        }
        let trials = try storedTrials("shared", store: local)
        #expect(trials.count == 12 && trials.allSatisfy { $0.state == .complete }, "\(trials.map(\.state))")
        #expect(Set(trials.map(\.params)).count == 12, "a configuration ran twice")
        #expect(trials.map(\.number) == Array(0..<12))
        #expect(Set(trials.compactMap(\.host)) == ["machine-a", "machine-b"], "\(Set(trials.compactMap(\.host)))")
    }
}
