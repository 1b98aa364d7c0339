import ArgumentParser
import LoopTrain

/// `--threads` for the training benchmarks (Looplab's pool and the reference's).
struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads for Looplab and the reference (default: LOOPLAB_THREADS, else all CPUs).")
    var threads: Int = ThreadPool.shared.threads

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    /// Limits the shared pool, so the `.loop` cases run with the same thread count.
    func apply() { ThreadPool.shared.activeThreads = threads }
}

/// `--rounds` for the benchmarks measured against a Python reference (see `Rounds`).
struct RoundOptions: ParsableArguments {
    @Option(help: "Alternating rounds of the reference and Looplab; each case reports its median.")
    var rounds: Int = 3

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }
}

struct GEMMBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "SGEMM GFLOPS (float32) vs numpy/OpenBLAS measured in the same run.",
        discussion: """
            numpy runs scripts/compare/gemm.py with LOOPLAB_PYTHON (else python3), OPENBLAS_CORETYPE unset.
            A shape is N (an N×N·N×N product) or MxKxN[:FORM] for C[M×N] = op(A)[M×K]·op(B)[K×N], FORM being \
            nn (default), nt (B transposed: a Linear layer's forward), tn (A transposed: its weight gradient) or tt.
            Example: looplab bench gemm --shapes 64x256x256:nt,256x64x256:tn --threads 1
            """
    )
    @OptionGroup var options: BenchOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var rounding: RoundOptions
    @Option(help: "Comma-separated shapes: N or MxKxN[:nn|nt|tn|tt].") var shapes = "512,1024,2048"

    func run() throws {
        var list: [GEMMBenchmark.Shape] = []
        for spec in shapes.split(separator: ",", omittingEmptySubsequences: false) {
            guard let shape = GEMMBenchmark.Shape(parsing: spec) else {
                throw ValidationError("--shapes: '\(spec)' is not a shape; write N (square) or MxKxN[:FORM] with positive sizes and FORM nn, nt, tn or tt, e.g. 1024 or 64x256x256:nt")
            }
            list.append(shape)
        }
        threading.apply()
        GEMMBench.report(shapes: list, threads: threading.threads, rounds: rounding.rounds).print(json: options.json)
    }
}

struct MLPBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "MLP training examples/s (and digits accuracy) vs PyTorch CPU measured in the same run.",
        discussion: "PyTorch runs scripts/compare/mlp.py with LOOPLAB_PYTHON (else python3); skipped with a note when torch is missing."
    )
    @OptionGroup var options: BenchOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var rounding: RoundOptions
    @Option(help: "digits.csv for the real-data cases.") var digits = "../shared/data/digits.csv"

    func run() throws {
        threading.apply()
        MLPBench.report(threads: threading.threads, digitsPath: digits, rounds: rounding.rounds).print(json: options.json)
    }
}

struct GPTBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpt",
        abstract: "Char-level GPT training tokens/s and validation loss vs PyTorch CPU measured in the same run.",
        discussion: "PyTorch runs scripts/compare/gpt.py with LOOPLAB_PYTHON (else python3); skipped with a note when torch is missing."
    )
    @OptionGroup var options: BenchOptions
    @OptionGroup var threading: ThreadOptions
    @OptionGroup var rounding: RoundOptions
    @Option(help: "Text for the validation-loss case.") var corpus = "/usr/share/dict/words"
    @Option(help: "Training steps before comparing validation loss (0 skips that case).") var qualitySteps = 500

    func run() throws {
        threading.apply()
        GPTBench.report(threads: threading.threads, corpus: corpus, qualitySteps: qualitySteps, rounds: rounding.rounds)
            .print(json: options.json)
    }
}
