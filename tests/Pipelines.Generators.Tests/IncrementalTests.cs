using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Pipelines.Generators.Tests;

/// <summary>The value model keeps the generator incremental: edits that do not change a pipeline's shape do no emit work.</summary>
public sealed class IncrementalTests
{
    const string Pipeline = """
        namespace Sample;

        [Pipeline]
        public partial class Classifier
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();
            [Metric] readonly Mean loss = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();

            [ValidationStep]
            void Validate(Batch batch) => loss.Update(model.call(batch.Input));

            [OnEvent(Events.EpochCompleted)]
            void Log() => Console.WriteLine(1);
        }
        """;

    static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.Compilation(Fixtures.Source, Fixtures.Usings + Pipeline, "namespace Other; class Unrelated { int X => 1; }");
        return (GeneratorHarness.Driver().RunGenerators(compilation), compilation);
    }

    static void AssertSteps(GeneratorDriver driver, params IncrementalStepRunReason[] allowed)
    {
        var result = driver.GetRunResult().Results.Single();
        foreach (var name in new[] { TrackingNames.PipelineModels, TrackingNames.ValidPipelines })
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"step {name} not tracked");
            foreach (var output in steps.SelectMany(s => s.Outputs))
                Assert.True(allowed.Contains(output.Reason), $"{name}: {output.Reason}");
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.True(allowed.Contains(output.Reason), $"output: {output.Reason}"));
    }

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached()
    {
        var (driver, compilation) = FirstRun();
        var unrelated = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(unrelated,
            CSharpSyntaxTree.ParseText("namespace Other; class Unrelated { int X => 2; int Y => 3; }", GeneratorHarness.ParseOptions, unrelated.FilePath));
        driver = driver.RunGenerators(edited);
        AssertSteps(driver, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void A_handler_body_edit_rebuilds_an_equal_model_and_skips_the_emit()
    {
        var (driver, compilation) = FirstRun();
        var pipeline = compilation.SyntaxTrees.ElementAt(1);
        var edited = compilation.ReplaceSyntaxTree(pipeline,
            CSharpSyntaxTree.ParseText(Fixtures.Usings + Pipeline.Replace("Console.WriteLine(1)", "Console.WriteLine(2)"), GeneratorHarness.ParseOptions, pipeline.FilePath));
        driver = driver.RunGenerators(edited);
        AssertSteps(driver, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void A_new_handler_changes_the_model()
    {
        var (driver, compilation) = FirstRun();
        var pipeline = compilation.SyntaxTrees.ElementAt(1);
        var edited = compilation.ReplaceSyntaxTree(pipeline,
            CSharpSyntaxTree.ParseText(Fixtures.Usings + Pipeline.Replace("[OnEvent(Events.EpochCompleted)]", "[OnEvent(Events.EpochCompleted, Every = 2)]"), GeneratorHarness.ParseOptions, pipeline.FilePath));
        driver = driver.RunGenerators(edited);
        var outputs = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.ValidPipelines].SelectMany(s => s.Outputs);
        Assert.Contains(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
    }
}
