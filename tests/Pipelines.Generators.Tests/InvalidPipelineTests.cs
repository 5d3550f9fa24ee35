using Pipelines.Generators.Emit;

namespace Pipelines.Generators.Tests;

/// <summary>A class the analyzers reject gets no generated code at all (and no diagnostic from the generator).</summary>
public sealed class InvalidPipelineTests
{
    const string Valid = """
        [Model] readonly Net model = new();
        [Optimizer] readonly Sgd optimizer = new();

        [TrainingStep]
        Tensor Train(Batch batch) => model.call(batch.Input).mean();
        """;

    public static TheoryData<string, string> Cases => new()
    {
        { "not partial", "[Pipeline] public class C { " + Valid + " }" },
        { "containing type not partial", "public class Outer { [Pipeline] public partial class C { " + Valid + " } }" },
        { "no training step", "[Pipeline] public partial class C { [Model] readonly Net model = new(); }" },
        { "two training steps", "[Pipeline] public partial class C { " + Valid + " [TrainingStep] Tensor Again(Batch batch) => batch.Input; }" },
        { "training step with two parameters", "[Pipeline] public partial class C { [TrainingStep] Tensor Train(Batch a, Batch b) => a.Input; }" },
        { "training step returning int", "[Pipeline] public partial class C { [TrainingStep] int Train(Batch batch) => 0; }" },
        { "validation step on another batch type", "[Pipeline] public partial class C { " + Valid + " [ValidationStep] void Check(int batch) { } }" },
        { "validation step returning a value", "[Pipeline] public partial class C { " + Valid + " [ValidationStep] int Check(Batch batch) => 0; }" },
        { "model that is not a module", "[Pipeline] public partial class C { " + Valid + " [Model] readonly string other = \"\"; }" },
        { "optimizer without step", "[Pipeline] public partial class C { " + Valid + " [Optimizer] readonly object other = new(); }" },
        { "metric that is not a metric", "[Pipeline] public partial class C { " + Valid + " [Metric] readonly Net other = new(); }" },
        { "two metrics with one property name", "[Pipeline] public partial class C { " + Valid + " [Metric] readonly Mean score = new(); [Metric] readonly Mean _score = new(); }" },
        { "handler returning a value", "[Pipeline] public partial class C { " + Valid + " [OnEvent(Events.Started)] int H() => 0; }" },
        { "handler taking the state by value", "[Pipeline] public partial class C { " + Valid + " [OnEvent(Events.Started)] void H(PipelineState state) { } }" },
        { "handler with Every = 0", "[Pipeline] public partial class C { " + Valid + " [OnEvent(Events.Started, Every = 0)] void H() { } }" },
        { "handler with Every and Once", "[Pipeline] public partial class C { " + Valid + " [OnEvent(Events.Started, Every = 2, Once = 3)] void H() { } }" },
        { "handler with Once and After", "[Pipeline] public partial class C { " + Valid + " [OnEvent(Events.Started, Once = 2, After = 3)] void H() { } }" },
        { "handler with an empty window", "[Pipeline] public partial class C { " + Valid + " [OnEvent(Events.Started, After = 3, Before = 4)] void H() { } }" },
        { "automatic step taking the optimizer", "[Pipeline] public partial class C { [Model] readonly Net model = new(); [Optimizer] readonly Sgd optimizer = new(); [TrainingStep] Tensor Train(Batch batch, Sgd o) => batch.Input; }" },
        { "manual step taking an optimizer as another type", "[Pipeline] public partial class C { [Model] readonly Net model = new(); [Optimizer] readonly Sgd optimizer = new(); [TrainingStep] void Train(Batch batch, Net o) { } }" },
        { "manual step taking one of two optimizers", "[Pipeline] public partial class C { [Optimizer] readonly Sgd a = new(); [Optimizer] readonly Sgd b = new(); [TrainingStep] void Train(Batch batch, Sgd o) { } }" },
        { "manual step taking the state by value", "[Pipeline] public partial class C { [TrainingStep] void Train(Batch batch, PipelineState state) { } }" },
        { "manual step taking the state before the optimizer", "[Pipeline] public partial class C { [Optimizer] readonly Sgd a = new(); [TrainingStep] void Train(Batch batch, in PipelineState state, Sgd o) { } }" },
        { "training step taking the batch by reference", "[Pipeline] public partial class C { [TrainingStep] void Train(in Batch batch) { } }" },
        { "hyperparameter named like a member of its record", "[Pipeline] public partial class C { " + Valid + " [Hyperparameter] int ToValues => 1; }" },
        { "two hyperparameters with one property name", "[Pipeline] public partial class C { " + Valid + " [Hyperparameter] readonly int rate = 1; [Hyperparameter] int Rate => 2; }" },
        { "handler with an undefined event", "[Pipeline] public partial class C { " + Valid + " [OnEvent((Events)99)] void H() { } }" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Emits_nothing(string why, string snippet)
    {
        var result = GeneratorHarness.RunOnly(Fixtures.Source, Fixtures.Usings + snippet);
        Assert.True(result.GeneratedSources.IsEmpty, $"{why}: expected no generated code");
        Assert.Empty(result.Diagnostics);
        Assert.Null(result.Exception);
    }

    [Fact]
    public void A_valid_class_beside_an_invalid_one_is_still_generated()
    {
        var result = GeneratorHarness.RunOnly(Fixtures.Source, Fixtures.Usings
            + "[Pipeline] public class Broken { " + Valid + " } [Pipeline] public partial class Fine { " + Valid + " }");
        Assert.Equal(["Fine.Pipeline.g.cs", LibTorchRuntimeInitializerEmitter.HintName], result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }
}
