/// A model and a dataset that do not fit together (reported before training, instead of a
/// precondition failure inside a kernel).
public enum ShapeError: Error, Equatable, CustomStringConvertible {
    case inputWidth(model: Int, data: Int)
    case outputWidth(model: Int, data: Int)

    public var description: String {
        switch self {
        case let .inputWidth(model, data): "the model takes \(model) input features but the data has \(data)"
        case let .outputWidth(model, data): "the model produces \(model) outputs but the task needs \(data)"
        }
    }
}

extension Dataset {
    /// Throws when `model`'s input or output width does not match this data (for a classification
    /// task with two classes, one output — a binary logit — is accepted as well as two).
    public func checkCompatible(with model: any Layer) throws {
        let config = model.config
        if let w = config.inputWidth, w != featureCount { throw ShapeError.inputWidth(model: w, data: featureCount) }
        if let w = config.outputWidth, w != outputCount, !(task.classCount == 2 && w == 1) {
            throw ShapeError.outputWidth(model: w, data: outputCount)
        }
    }
}
