using Pipelines.Testing;

namespace Pipelines.Analyzers.Tests;

/// <summary>What every snippet compiles with: the shared global usings and test doubles (<see cref="TestSources"/>), and a valid pipeline's members.</summary>
internal static class Snippets
{
    /// <summary>The global usings alone: what a docs page's code compiles with (it uses real TorchSharp types only).</summary>
    public static readonly string GlobalUsings = TestSources.GlobalUsings;

    /// <summary>The global usings and the test doubles a test snippet may use.</summary>
    public static readonly string Fixture = GlobalUsings + "\n" + TestSources.Doubles;

    /// <summary>The members of a valid pipeline, to put beside the member under test.</summary>
    public const string Valid = """
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd optimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();
        """;
}
