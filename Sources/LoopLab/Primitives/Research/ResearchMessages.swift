import LoopLang
import LoopResearch

/// The prose of the research engine's errors, in one place.
enum ResearchMessages {
    static func describe(_ error: SpaceError) -> String {
        switch error {
        case .emptyName: return "a parameter needs a name"
        case .duplicateParameter(let name): return "parameter '\(name)' is declared twice"
        case .emptyChoice(let name): return "choice for '\(name)' has no values"
        case .duplicateChoice(let name, let value): return "choice for '\(name)' lists \(value) twice"
        case .invalidBounds(let name, let low, let high):
            return "'\(name)': the range \(low)...\(high) is empty or not finite (low must be <= high)"
        case .nonPositiveLogBound(let name, let low): return "'\(name)': loguniform needs a low bound > 0, got \(low)"
        case .nonPositiveStep(let name, let step): return "'\(name)': step must be > 0, got \(step)"
        case .tooManyValues(let name, let low, let high):
            return "'\(name)': integers(\(low), \(high)) holds more values than an Int can count; narrow the range"
        case .unknownConditionParameter(let name, let other):
            return "'\(name)' depends on '\(other)', which is not declared before it"
        case .nonNumericComparison(let name, let condition):
            return "'\(name) when \(condition)': ordering comparisons need numbers"
        case .unknownParameter(let name): return "no parameter '\(name)'"
        case .incompatibleChange(let name):
            return "the space changed '\(name)' in a way that orphans recorded trials (a space may only grow: add parameters or choices, widen ranges); use a new study name"
        }
    }

    static func describe(_ error: StudyError) -> String {
        switch error {
        case .unknownTrial(let id): return "the trial with id \(id) does not belong to this study"
        case .trialFinished(let number, let status): return "trial \(number) is already \(status.rawValue)"
        case .missingGoalMetric(let metric, let available):
            let got = available.isEmpty ? "no numeric fields" : "only " + available.joined(separator: ", ")
            return "the metrics have no '\(metric)' (the study's goal); got \(got)"
        case .incompatibleSpace(let spaceError): return describe(spaceError)
        case .store(let message): return message
        }
    }

    static func error(_ error: StudyError) -> LoopError {
        if case .store(let message) = error { return LoopError(.host(kind: "store", message: message)) }
        return researchError(describe(error))
    }
}
