import LoopLang
import LoopStore
import LoopTrain

/// How many times a test split has been looked at. Every `final_eval` is a note in the project
/// store tagged `final_eval` and `test:<fingerprint>` (the split's content, hashed), so a second
/// look at the same split, in this run or any earlier one, is counted and warned about: a test
/// set consulted while tuning becomes a second validation set.
enum FinalEvalLog {
    /// Records the look as a note through `remember` (so it lands, and is permitted, wherever
    /// the program's notes are) and returns how many looks at this split the store now holds.
    static func record(model: ModelBox, data: DataBox, result: Value, call: NativeCall) throws(LoopError) -> Int {
        let tag = "test:" + fingerprint(data)
        var earlier = 0
        if let context = call.interpreter.attachment(ResearchContext.self) {
            earlier = try context.withStore { store throws(StoreError) in try store.countNotes(tag: tag) }
        }
        let looks = earlier + 1
        if earlier > 0 {
            StandardError.line("final_eval: warning: this test split (\(data.summary), \(tag)) has been evaluated \(earlier) time\(earlier == 1 ? "" : "s") before in this store; each look while still tuning makes it less of a held-out set")
        }
        if let remember = call.interpreter.lookup("remember") {
            let note = "final_eval #\(looks) of \(model.summary) on \(data.summary): \(Printer.repr(result))"
            _ = try call.interpreter.call(remember, [.string(note)], named: [("tags", .list([.string("final_eval"), .string(tag)]))])
        }
        return looks
    }

    /// A short hash of the split's content (FNV-1a over the features, targets or tokens), the
    /// same in every process that loads the same data the same way.
    static func fingerprint(_ data: DataBox) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ word: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) {
                hash = (hash ^ ((word >> UInt64(shift)) & 0xff)) &* 0x0000_0100_0000_01b3
            }
        }
        switch data.content {
        case .table(let d):
            mix(UInt64(d.count))
            for tensor in [d.features, d.targets] {
                tensor.withUnsafeBufferPointer { for x in $0 { mix(UInt64(x.bitPattern)) } }
            }
        case .text(let tokens, _):
            mix(UInt64(tokens.count))
            for t in tokens { mix(UInt64(bitPattern: Int64(t))) }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
