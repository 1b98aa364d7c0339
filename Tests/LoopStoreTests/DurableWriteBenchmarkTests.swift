import Foundation
import LoopStore
import Testing

/// The store's share of `looplab bench propose`: one durable trial write at 500 trials.
@Suite struct DurableWriteBenchmarkTests {
    @Test func durableTrialWriteAt500Trials() throws {
        for durability in Store.Durability.allCases {
            let result = try DurableWriteBenchmark.run(trials: 500, durability: durability)
            let label = durability == .normal ? "normal, survives kill -9" : "full, survives power loss"
            print(String(format: "store bench: durable trial write (%@) at 500 trials: mean %.3f ms, median %.3f ms, "
                         + "p95 %.3f ms; start+finish %.3f ms", label, result.writeMean * 1e3,
                         result.writeMedian * 1e3, result.writeP95 * 1e3, result.lifecycleMean * 1e3))
            // A generous bound: this guards against pathologies (a scan per write), not for speed.
            #expect(result.writeMedian < 0.05)
        }
    }
}
