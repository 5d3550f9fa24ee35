namespace Pipelines.Analyzers.Tests;

/// <summary>What every snippet compiles with: global usings as TorchSharp code writes them, a module and a plain optimizer stand-in.</summary>
internal static class Snippets
{
    /// <summary>The global usings alone: what a docs page's code compiles with (it uses real TorchSharp types only).</summary>
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using Pipelines;
        global using Pipelines.Data;
        global using Pipelines.Metrics;
        global using TorchSharp;
        global using TorchSharp.Modules;
        global using static TorchSharp.torch;
        """;

    /// <summary>The global usings and the test doubles a test snippet may use.</summary>
    public const string Fixture = GlobalUsings + """

        namespace Fixtures
        {
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
        }
        """;

    /// <summary>The members of a valid pipeline, to put beside the member under test.</summary>
    public const string Valid = """
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd optimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();
        """;
}
