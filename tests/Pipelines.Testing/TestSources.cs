namespace Pipelines.Testing;

/// <summary>
/// What the test snippets compile with, written once for every test project: the using directives
/// TorchSharp code writes, and the test doubles a snippet may use.
/// </summary>
public static class TestSources
{
    /// <summary>The using directives of a snippet, as TorchSharp code writes them (ending with a line break).</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using Pipelines;
        using Pipelines.Data;
        using Pipelines.Metrics;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        """;

    /// <summary><see cref="Usings"/> as global usings: for a snippet whose files share them (and a docs page's code, which uses real TorchSharp types only).</summary>
    public static readonly string GlobalUsings = Usings.Replace("using ", "global using ");

    /// <summary>
    /// The test doubles, in namespace <c>Fixtures</c> (they need <see cref="Usings"/> or
    /// <see cref="GlobalUsings"/> before them): <c>Net</c> is a custom TorchSharp module written the
    /// idiomatic way; <c>Sgd</c> stands in for any [Optimizer] that is not a
    /// <c>torch.optim.Optimizer</c> (the generator needs only <c>zero_grad()</c> and <c>step()</c>).
    /// </summary>
    public const string Doubles = """
        namespace Fixtures;

        public sealed class Net : nn.Module<Tensor, Tensor>
        {
            readonly Linear layer = nn.Linear(4, 4);

            public Net() : base(nameof(Net)) => RegisterComponents();

            public override Tensor forward(Tensor input) => layer.call(input);
        }

        /// <summary>An [Optimizer] needs zero_grad() and step() only.</summary>
        public sealed class Sgd
        {
            public void zero_grad() { }

            public void step() { }
        }
        """;
}
