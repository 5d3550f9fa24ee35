namespace Pipelines.Rules;

/// <summary>
/// The names of the members the generator writes into a [Pipeline] class, in one list for the
/// generator and the analyzers: a member of the user's class with one of these names would break
/// the generated file. An emitter that adds a member to the class adds its name here.
/// </summary>
internal static class GeneratedMembers
{
    /// <summary>Every member the generator may emit into the class (some only when the class has what they need, such as <c>Validate</c> with a [ValidationStep]).</summary>
    public static readonly string[] Names =
    [
        "Metrics", "MergeMetrics", "Hyperparameters", "CaptureHyperparameters", "Fit", "RunTrainingEpoch",
        WellKnownNames.FindLearningRate, "Validate", "RunValidationPass", "Test", "RunTestPass", "Dispose",
    ];

    /// <summary>The members the generator leaves out when the class declares one of that name itself.</summary>
    public static readonly string[] Optional = [WellKnownNames.FindLearningRate, "Dispose"];
}
