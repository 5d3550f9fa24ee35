using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Pipelines.Rules;

/// <summary>
/// The names of the members the generator writes into a [Pipeline] class, in one list for the
/// generator and the analyzers: a member of the user's class with one of these names breaks the
/// generated file (PIPE031). An emitter that adds a member to the class adds its name here.
/// </summary>
internal static class GeneratedMembers
{
    /// <summary>How the name of the file the generator writes for a pipeline ends (<c>Namespace.Classifier.Pipeline.g.cs</c>).</summary>
    public const string FileSuffix = ".Pipeline.g.cs";

    /// <summary>Whether <paramref name="symbol"/> is declared only in the generator's files (the analyzers see them once the generator has run).</summary>
    public static bool IsGenerated(ISymbol symbol) =>
        symbol.DeclaringSyntaxReferences.Length > 0
        && symbol.DeclaringSyntaxReferences.All(r => r.SyntaxTree.FilePath.EndsWith(FileSuffix, System.StringComparison.Ordinal));

    /// <summary>Written into every pipeline class.</summary>
    public static readonly string[] Always = ["Metrics", "Hyperparameters", "CaptureHyperparameters", "Fit", "RunTrainingEpoch", "fitKeepers", "PlaceModels", "placedDevice", "optimizersConfigured"];

    /// <summary>Written when the class has a [Metric].</summary>
    public static readonly string[] WithMetrics = ["MergeMetrics"];

    /// <summary>Written when the class has a [ValidationStep].</summary>
    public static readonly string[] WithValidationStep = ["Validate", "RunValidationPass"];

    /// <summary>Written when the class has a [TestStep].</summary>
    public static readonly string[] WithTestStep = ["Test", "RunTestPass"];

    /// <summary>Written unless the class declares a member of that name itself, which then replaces it.</summary>
    public static readonly string[] Optional = [WellKnownNames.FindLearningRate, "Dispose"];

    /// <summary>The generated nested types (the rest are methods).</summary>
    public static readonly HashSet<string> Types = ["Metrics", "Hyperparameters"];

    /// <summary>The names written into a class with (or without) metrics, a validation step and a test step; <see cref="Optional"/> ones aside.</summary>
    public static IEnumerable<string> Emitted(bool hasMetrics, bool hasValidation, bool hasTest)
    {
        foreach (var name in Always)
            yield return name;
        if (hasMetrics)
            foreach (var name in WithMetrics)
                yield return name;
        if (hasValidation)
            foreach (var name in WithValidationStep)
                yield return name;
        if (hasTest)
            foreach (var name in WithTestStep)
                yield return name;
    }
}
