import LoopSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed set of worker threads that run fork–join loops (`parallelFor`).
///
/// Why a persistent pool: a training step issues dozens of small GEMMs; creating threads per call
/// (or going through a general-purpose executor) costs more than the work. Workers spin briefly
/// after a job, so back-to-back calls start within a microsecond or so, then sleep on a condition
/// variable so an idle pool costs nothing on a shared machine.
///
/// A pool's threads live as long as the process: create pools once (most code uses `shared`).
///
/// Determinism: the pool hands out task indices dynamically, so *which* thread runs a task varies.
/// Callers must make each task's result independent of that (LoopTrain's kernels split work by
/// output tile and never reduce across tasks), so results depend only on the inputs.
public final class ThreadPool: @unchecked Sendable {
    /// The pool used by LoopTrain's kernels unless one is passed explicitly: `LOOPLAB_THREADS`
    /// threads when set, else one per available CPU (the calling thread counts as one).
    public static let shared = ThreadPool(threads: ThreadPool.configuredThreads)

    /// `LOOPLAB_THREADS` when it is a positive integer up to `availableCPUs`, else `availableCPUs`
    /// (with a warning on standard error when it is set to something else: more threads than CPUs
    /// only take turns, and `LOOPLAB_THREADS=100000` would start a hundred thousand of them). On a
    /// machine shared with other CPU-bound work, fewer threads than CPUs can be faster.
    public static var configuredThreads: Int {
        guard let raw = getenv("LOOPLAB_THREADS") else { return availableCPUs }
        let text = String(cString: raw)
        let warning: String
        if let n = Int(text), n >= 1 {
            if n <= availableCPUs { return n }
            warning = "looplab: LOOPLAB_THREADS=\(n) is more than the \(availableCPUs) CPUs here; using \(availableCPUs) threads\n"
        } else {
            warning = "looplab: LOOPLAB_THREADS='\(text)' is not a positive integer; using \(availableCPUs) threads\n"
        }
        _ = warning.withCString { write(2, $0, strlen($0)) }
        return availableCPUs
    }

    /// Online CPUs (affinity masks are not consulted), at most `maxThreads`.
    public static var availableCPUs: Int {
        return min(maxThreads, max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    }

    /// A pool tracks its first round of tasks in the bits of one Int.
    public static let maxThreads = Int.bitWidth

    /// Threads that take part in a loop, the caller included (1 = everything runs on the caller).
    public let threads: Int

    /// Participants a loop may use, 1...`threads` (default `threads`): lowers parallelism without
    /// a new pool, e.g. for one-thread benchmarks. Results do not depend on it (see above).
    public var activeThreads: Int {
        get { active.load(ordering: .relaxed) }
        set { active.store(min(max(newValue, 1), threads), ordering: .relaxed) }
    }

    private let active: Atomic<Int>
    private let generation = Atomic<Int>(0)
    private let nextTask = Atomic<Int>(0)
    /// Bit t set once first-round task t has been claimed (by participant t, or by the caller).
    private let firstRoundClaims = Atomic<Int>(0)
    private let unfinishedWorkers = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    // Written by the caller before `generation` is bumped (release), read by workers after they
    // observe the new generation (acquire).
    private var job: ((Int, Int) -> Void)?
    private var taskCount = 0
    private var participants = 0
    /// Tasks `0..<firstRound` are the first round, one per participant.
    private var firstRound = 0
    // Straggler detection (`noteStraggling`), touched only by the caller holding `busy`.
    private var workedDecayed = 0.0
    private var waitedDecayed = 0.0
    private var serialUntil: UInt64 = 0

    /// A pool with `threads` participants (`threads - 1` worker threads are started).
    public init(threads: Int) {
        precondition(threads >= 1, "a pool needs at least one thread")
        self.threads = threads
        active = Atomic(threads)
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for worker in 1..<max(threads, 1) {
            let context = Unmanaged.passRetained(WorkerContext(pool: self, id: worker)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.workerLoop(id: context.id)
                return nil
            }, context)
            precondition(rc == 0, "pthread_create failed (\(rc))")
            pthread_detach(thread)
        }
    }

    /// Runs `body(task, thread)` for every `task` in `0..<tasks` and returns when all are done.
    ///
    /// `thread` is in `0..<min(threads, tasks, maxThreads)` and identifies the participant, so a
    /// task may use per-thread scratch memory indexed by it. Participant t runs task t first (the
    /// caller takes it over if participant t has not arrived by the time the caller runs out of
    /// work); the rest are handed out dynamically.
    /// A call made from inside a running loop (nested parallelism) runs serially on the caller.
    public func parallelFor(_ tasks: Int, maxThreads: Int = .max, _ body: (_ task: Int, _ thread: Int) -> Void) {
        let n = min(activeThreads, tasks, maxThreads)
        if n <= 1 || !busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            for task in 0..<tasks { body(task, 0) }
            return
        }
        let start = Monotonic.nanoseconds()
        if start < serialUntil {
            busy.store(false, ordering: .releasing)
            for task in 0..<tasks { body(task, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            job = body
            taskCount = tasks
            participants = n
            firstRound = min(n, Int.bitWidth)
            firstRoundClaims.store(0, ordering: .relaxed)
            nextTask.store(firstRound, ordering: .relaxed)
            // Every worker reports back, participating or not, so none can still be reading this call's
            // state when the next call overwrites it.
            unfinishedWorkers.store(threads - 1, ordering: .relaxed)
            generation.add(1, ordering: .releasing)
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
            runTasks(thread: 0)
            let callerDone = Monotonic.nanoseconds()
            var spins = 0
            while unfinishedWorkers.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > 1000 { sched_yield() }
            }
            job = nil
            noteStraggling(worked: callerDone &- start, waited: Monotonic.nanoseconds() &- callerDone)
        }
        busy.store(false, ordering: .releasing)
    }

    private func runTasks(thread: Int) {
        guard let job else { return }
        // Participant t runs task t first, so a call split into one part per thread puts the same
        // part on the same core every time (its operands stay in that core's cache); the tasks
        // after the first round are handed out dynamically.
        if thread < firstRound && claimFirstRound(thread) { job(thread, thread) }
        while true {
            let task = nextTask.add(1, ordering: .relaxed).oldValue
            if task >= taskCount { break }
            job(task, thread)
        }
        // The caller does not wait for a participant that has not even started (asleep, or
        // preempted by another process): it runs that participant's first task itself.
        if thread == 0 {
            for t in 1..<max(firstRound, 1) where claimFirstRound(t) { job(t, 0) }
        }
    }

    /// Runs loops serially for a while when the caller keeps waiting on workers much longer than
    /// it worked itself: a worker sharing its CPU with another process gets preempted in the
    /// middle of its part, and the caller then waits out the other process's time slice
    /// (milliseconds, against parts of microseconds). With a CPU-bound process on one of two CPUs,
    /// two-thread MLP training fell below half the speed of one thread. Decaying sums make one
    /// long stall count as much as many short ones; without stalls this never triggers.
    private func noteStraggling(worked: UInt64, waited: UInt64) {
        workedDecayed = workedDecayed * 0.95 + Double(worked)
        waitedDecayed = waitedDecayed * 0.95 + Double(waited)
        if waitedDecayed > workedDecayed + 200_000 {
            serialUntil = Monotonic.nanoseconds() + Self.serialBackoffNanoseconds
            workedDecayed = 0
            waitedDecayed = 0
        }
    }

    /// How long loops stay serial after `noteStraggling` sees workers holding the caller up.
    static let serialBackoffNanoseconds: UInt64 = 50_000_000

    /// True for the one caller that claims first-round task `t`.
    private func claimFirstRound(_ t: Int) -> Bool {
        firstRoundClaims.bitwiseOr(1 << t, ordering: .relaxed).oldValue & (1 << t) == 0
    }

    private func workerLoop(id: Int) {
        var seen = 0
        while true {
            // Spin first: in a training loop the next call usually comes within microseconds.
            var current = generation.load(ordering: .acquiring)
            let idleSince = Monotonic.nanoseconds()
            var spins = 0
            while current == seen {
                spins &+= 1
                if spins & 255 == 0 && Monotonic.nanoseconds() &- idleSince > Self.idleSpinNanoseconds { break }
                current = generation.load(ordering: .acquiring)
            }
            if current == seen {
                pthread_mutex_lock(mutex)
                current = generation.load(ordering: .acquiring)
                while current == seen {
                    pthread_cond_wait(condition, mutex)
                    current = generation.load(ordering: .acquiring)
                }
                pthread_mutex_unlock(mutex)
            }
            seen = current
            if id < participants { runTasks(thread: id) }
            unfinishedWorkers.subtract(1, ordering: .releasing)
        }
    }

    /// How long an idle worker keeps spinning before it sleeps. Waking a sleeping thread costs
    /// tens of microseconds on a virtual machine (the vCPU has halted), more than most training
    /// kernels; between the calls of one training step (an optimiser update, a batch gathered by
    /// the interpreter) gaps of 20–100 µs are common, and a worker that slept through each of them
    /// cut the digits MLP from ~415k to ~260k examples/s. After this long without work it sleeps, so an
    /// idle REPL costs nothing.
    static let idleSpinNanoseconds: UInt64 = 500_000


    private final class WorkerContext {
        let pool: ThreadPool
        let id: Int
        init(pool: ThreadPool, id: Int) { self.pool = pool; self.id = id }
    }
}
