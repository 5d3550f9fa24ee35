namespace Pipelines.Generators.Tests;

/// <summary>Cheap string checks on the one line a filter compiles to (Ignite's semantics, counters 1-based).</summary>
public sealed class FilterTests
{
    static string Generate(string attribute) => Fixtures.GenerateOne($$"""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();

            [ValidationStep]
            void Validate(Batch batch) => model.call(batch.Input);

            {{attribute}}
            void H() { }
        }
        """);

    [Theory]
    [InlineData("[OnEvent(Events.IterationCompleted, Every = 100)]", "if (run.Iteration % 100 == 0)")]
    [InlineData("[OnEvent(Events.EpochCompleted, Every = 5)]", "if (run.Epoch % 5 == 0)")]
    [InlineData("[OnEvent(Events.IterationStarted, Once = 7)]", "if (run.Iteration == 7)")]
    [InlineData("[OnEvent(Events.EpochStarted, Before = 3)]", "if (run.Epoch > 0 && run.Epoch < 3)")]
    [InlineData("[OnEvent(Events.BackwardCompleted, After = 10)]", "if (run.Iteration > 10)")]
    [InlineData("[OnEvent(Events.IterationCompleted, Every = 3, After = 2)]", "if (run.Iteration > 2 && (run.Iteration - 3) % 3 == 0)")]
    [InlineData("[OnEvent(Events.IterationCompleted, Every = 4, Before = 20)]", "if (run.Iteration > 0 && run.Iteration < 20 && (run.Iteration - 1) % 4 == 0)")]
    [InlineData("[OnEvent(Events.ValidationCompleted, Every = 2)]", "if (run.Epoch % 2 == 0)")]
    public void Filter_compiles_to_an_integer_check(string attribute, string expected) =>
        Assert.Contains(expected + "\n", Generate(attribute), StringComparison.Ordinal);

    [Fact]
    public void Unfiltered_handler_is_a_plain_call() =>
        Assert.Contains("    this.H();\n", Generate("[OnEvent(Events.Completed)]"), StringComparison.Ordinal);
}
