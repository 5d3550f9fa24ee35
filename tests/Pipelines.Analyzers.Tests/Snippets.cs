namespace Pipelines.Analyzers.Tests;

/// <summary>What every snippet compiles with: global usings, a module and a plain optimizer stand-in.</summary>
internal static class Snippets
{
    public const string Fixture = """
        global using System;
        global using System.Collections.Generic;
        global using Pipelines;
        global using Pipelines.Data;
        global using Pipelines.Metrics;
        global using Pipelines.Torch;
        global using Pipelines.Torch.Modules;
        global using Pipelines.Torch.Optimizers;
        global using static Pipelines.Torch.torch;

        namespace Fixtures
        {
            public sealed class Net : Module<Tensor, Tensor>
            {
                public Net() : base("Net") { }

                public override Tensor forward(Tensor input) => input;
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
