namespace Pipelines.Generators.Tests;

/// <summary>Source text shared by the snippets: a module and an optimizer stand-in.</summary>
internal static class Fixtures
{
    /// <summary>
    /// <c>Sgd</c> stands in for the binding's optimizer (the generator only needs an [Optimizer]
    /// member with <c>zero_grad()</c> and <c>step()</c>), so these sources compile on their own.
    /// </summary>
    public const string Source = """
        using Pipelines.Torch;
        using Pipelines.Torch.Modules;

        namespace Fixtures;

        public sealed class Net : Module<Tensor, Tensor>
        {
            public Net() : base("Net") { }

            public override Tensor forward(Tensor input) => input;
        }

        public sealed class Sgd
        {
            public void zero_grad() { }

            public void step() { }
        }
        """;

    public const string Usings = """
        using System;
        using Fixtures;
        using Pipelines;
        using Pipelines.Data;
        using Pipelines.Metrics;
        using Pipelines.Torch;

        """;

    /// <summary>Runs the generator over the fixtures plus <paramref name="snippet"/> and returns the single generated file.</summary>
    public static string GenerateOne(string snippet)
    {
        var files = GeneratorHarness.Generate(Source, Usings + snippet);
        return Assert.Single(files).Text;
    }
}
