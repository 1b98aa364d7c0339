/// Why a study refused a request. Rendered to prose by the language layer.
public enum StudyError: Error, Sendable {
    case unknownTrial(id: Int64)
    /// The trial already finished (`complete`, `failed`...) and cannot change again.
    case trialFinished(number: Int, status: TrialStatus)
    /// The metrics lack the study's goal metric.
    case missingGoalMetric(metric: String, available: [String])
    /// The new declaration's space removes or narrows what recorded trials used.
    case incompatibleSpace(SpaceError)
    /// The persistence layer failed; `message` is its own description.
    case store(message: String)
}
