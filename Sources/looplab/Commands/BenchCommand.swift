import ArgumentParser
import Glibc

/// `looplab bench ...`: benchmarks that report ratios against references measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks, with references measured in the same run.",
        discussion: """
            Each benchmark prints a table, or with --json one JSON object per line with the fields \
            bench, case, value, unit and, where a reference ran in the same invocation, reference, \
            reference_value and ratio (looplab value / reference value).

            Example:
              looplab bench interp --json
            """,
        subcommands: [InterpBenchCommand.self]
    )
}

/// Options every benchmark shares.
struct BenchOptions: ParsableArguments {
    @Flag(help: "Print one JSON object per line instead of a table.")
    var json = false
}

struct InterpBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interp",
        abstract: "Interpreter speed: fib(30) and a 10M-iteration float loop vs python3 and lua5.4."
    )

    @OptionGroup var options: BenchOptions

    func run() throws {
        do {
            try InterpBench.report().print(json: options.json)
        } catch let wrong as InterpBench.WrongResult {
            Diagnostics.printError("bench interp: case \(wrong.caseName) did not produce the expected result:\n\(wrong.output)")
            throw ExitCode(1)
        }
    }
}
