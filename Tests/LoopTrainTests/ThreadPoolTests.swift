#if canImport(Glibc)
import Glibc
#endif
import LoopSupport
import LoopTrain
import Synchronization
import Testing

@Suite struct ThreadPoolTests {
    @Test func runsEveryTaskOnceWithValidThreadIds() {
        let pool = ThreadPool(threads: 3)
        for tasks in [0, 1, 2, 7, 100] {
            let hits = Mutex<[Int]>(Array(repeating: 0, count: tasks))
            let threads = Mutex<Set<Int>>([])
            pool.parallelFor(tasks) { task, thread in
                hits.withLock { $0[task] += 1 }
                threads.withLock { _ = $0.insert(thread) }
            }
            #expect(hits.withLock { $0 } == Array(repeating: 1, count: tasks))
            #expect(threads.withLock { $0 }.allSatisfy { $0 >= 0 && $0 < 3 })
        }
    }

    /// Task 0 (the caller's) spins until task 1 has started, at most `limit` seconds; returns
    /// whether it did (task 1 then cannot have been taken over by the caller).
    static func awaitStart(_ started: borrowing Atomic<Bool>, limit: Double = 2) -> Bool {
        let deadline = Monotonic.seconds() + limit
        while !started.load(ordering: .acquiring) {
            if Monotonic.seconds() > deadline { return false }
        }
        return true
    }

    /// One task per participant: participant t runs task t, so per-thread parts stay on one core.
    @Test func firstRoundIsStatic() {
        let pool = ThreadPool(threads: 2)
        for _ in 0..<50 {
            let started = Atomic<Bool>(false)
            let ran = Mutex<[Int: Int]>([:])
            pool.parallelFor(2) { task, thread in
                if task == 1 {
                    started.store(true, ordering: .releasing)
                } else {
                    let arrived = Self.awaitStart(started)
                    #expect(arrived)
                }
                ran.withLock { $0[task] = thread }
            }
            #expect(ran.withLock { $0 } == [0: 0, 1: 1])
        }
    }

    /// A worker that holds the caller up far longer than the caller worked (as when another
    /// process preempts it mid-task) makes the next loops run on the caller alone (for 50 ms).
    @Test func stallingWorkerMakesLoopsSerial() {
        let pool = ThreadPool(threads: 2)
        let started = Atomic<Bool>(false)
        pool.parallelFor(2) { task, _ in
            if task == 1 {
                started.store(true, ordering: .releasing)
                usleep(300_000)  // far longer than the caller's wait for task 1 to start
            } else {
                let arrived = Self.awaitStart(started)
                #expect(arrived)
            }
        }
        let stalled = Monotonic.seconds()
        let threads = Mutex<Set<Int>>([])
        pool.parallelFor(8) { _, thread in threads.withLock { _ = $0.insert(thread) } }
        // Only conclusive if this thread was not itself held up past the serial window.
        if Monotonic.seconds() - stalled < 0.04 {
            #expect(threads.withLock { $0 } == [0])
        }
    }

    /// A participant that has not started when the caller runs out of work does not hold it up:
    /// with the worker asleep (idle well past its spin), waking it takes microseconds against the
    /// caller's 0.1 µs task, so the caller usually runs task 1 itself. Usually, not always (a
    /// loaded machine can delay the caller instead), so this asserts it happens at all.
    @Test func callerTakesOverAParticipantThatHasNotStarted() {
        let pool = ThreadPool(threads: 2)
        var takenOver = 0
        for _ in 0..<20 {
            usleep(2_000)
            let ran = Mutex<[Int: Int]>([:])
            pool.parallelFor(2) { task, thread in ran.withLock { $0[task] = thread } }
            let threads = ran.withLock { $0 }
            #expect(threads.keys.sorted() == [0, 1] && threads[0] == 0)
            if threads[1] == 0 { takenOver += 1 }
        }
        #expect(takenOver > 0)
    }

    /// Blocks depend only on the count and the grain: each index once, in block `index / grain`.
    @Test func blocksCoverTheRangeOnce() {
        let pool = ThreadPool(threads: 3)
        for count in [0, 1, 15, 16, 17, 83] {
            let seen = Mutex<[Int]>(Array(repeating: 0, count: count))
            let blocks = Mutex<[Int: Range<Int>]>([:])
            pool.forEachBlock(count, grain: 16) { block, range in
                blocks.withLock { $0[block] = range }
                seen.withLock { for i in range { $0[i] += 1 } }
            }
            #expect(seen.withLock { $0 } == Array(repeating: 1, count: count))
            let expected = Dictionary(uniqueKeysWithValues: stride(from: 0, to: count, by: 16).map { ($0 / 16, $0..<min(count, $0 + 16)) })
            #expect(blocks.withLock { $0 } == expected)
        }
    }

    @Test func nestedLoopsRunSeriallyInsteadOfDeadlocking() {
        let pool = ThreadPool(threads: 2)
        let count = Mutex(0)
        pool.parallelFor(4) { _, _ in
            pool.parallelFor(5) { _, _ in count.withLock { $0 += 1 } }
        }
        #expect(count.withLock { $0 } == 20)
    }

    @Test func activeThreadsIsClamped() {
        let pool = ThreadPool(threads: 2)
        pool.activeThreads = 0
        #expect(pool.activeThreads == 1)
        pool.activeThreads = 9
        #expect(pool.activeThreads == 2)
        let threads = Mutex<Set<Int>>([])
        pool.activeThreads = 1
        pool.parallelFor(50) { _, thread in threads.withLock { _ = $0.insert(thread) } }
        #expect(threads.withLock { $0 } == [0])
    }

    @Test func shapeChecksBeforeTraining() throws {
        let data = SyntheticData.blobs(count: 30, centers: 3, features: 4, seed: 1)
        try data.checkCompatible(with: mlp(inputs: 4, hidden: [8], outputs: 3, seed: 1))
        #expect(throws: ShapeError.inputWidth(model: 5, data: 4)) {
            try data.checkCompatible(with: mlp(inputs: 5, hidden: [8], outputs: 3, seed: 1))
        }
        #expect(throws: ShapeError.outputWidth(model: 2, data: 3)) {
            try data.checkCompatible(with: mlp(inputs: 4, hidden: [8], outputs: 2, seed: 1))
        }
        try SyntheticData.xor(seed: 1).checkCompatible(with: mlp(inputs: 2, hidden: [4], outputs: 1, seed: 1))
    }

    @Test func wordsCorpusWhenInstalled() throws {
        guard let words = try? TextData.words() else {
            print("skipping wordsCorpusWhenInstalled: \(TextData.wordsPath) not installed")
            return
        }
        #expect(words.vocabulary.count > 20 && words.train.count > words.validation.count)
        #expect(throws: DataError.self) { try TextData.words(path: "/nonexistent/words") }
    }
}
