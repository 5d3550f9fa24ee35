namespace Pipelines.Generators.Tests;

/// <summary>Source text shared by the snippets: a TorchSharp module and an optimizer stand-in.</summary>
internal static class Fixtures
{
    /// <summary>
    /// <c>Net</c> is a custom TorchSharp module written the idiomatic way; <c>Sgd</c> stands in for
    /// any [Optimizer] that is not a <c>torch.optim.Optimizer</c> (the generator only needs
    /// <c>zero_grad()</c> and <c>step()</c>), so these sources compile on their own.
    /// </summary>
    public const string Source = """
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        namespace Fixtures;

        public sealed class Net : nn.Module<Tensor, Tensor>
        {
            readonly Linear layer = nn.Linear(4, 4);

            public Net() : base(nameof(Net)) => RegisterComponents();

            public override Tensor forward(Tensor input) => layer.call(input);
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
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        """;

    /// <summary>Runs the generator over the fixtures plus <paramref name="snippet"/> and returns the single generated file.</summary>
    public static string GenerateOne(string snippet)
    {
        var files = GeneratorHarness.Generate(Source, Usings + snippet);
        return Assert.Single(files).Text;
    }
}
