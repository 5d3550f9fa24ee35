namespace Pipelines.Generators.Tests;

/// <summary>
/// The whole-file tier: a few end-to-end scenarios (the smallest pipeline, the design example, the
/// sample) against their checked-in snapshots, each also compiled cleanly. Everything else is
/// checked one generated method or block at a time (EventCallSiteTests, LoopGenerationTests,
/// DeclarationGenerationTests, CommandLineTests, ...), so a change shows where it lands.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void MinimalPipeline() => Snapshot.Match(Fixtures.GenerateOne("""
        namespace Sample;

        [Pipeline]
        public partial class Regressor
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).sub(batch.Target).square().mean();
        }
        """));

    [Fact]
    public void DesignExample() => Snapshot.Match(Fixtures.GenerateOne("""
        namespace Sample;

        [Pipeline]
        public partial class FashionMnistClassifier
        {
            [Hyperparameter] public double LearningRate { get; } = 1e-3;

            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [Metric] readonly Accuracy accuracy = new();
            [Metric] readonly Mean validationLoss = new();

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).sub(batch.Target).square().mean();

            [ValidationStep]
            void Validate(Batch batch)
            {
                var logits = model.call(batch.Input);
                accuracy.Update(logits, batch.Target);
                validationLoss.Update(logits.sub(batch.Target).square().mean());
            }

            [OnEvent(Events.IterationCompleted, Every = 100)]
            void Log(in PipelineState state) => Console.WriteLine($"{state.Epoch} {state.Iteration} {state.Loss}");

            [OnEvent(Events.EpochCompleted, Every = 5)]
            void Snapshot(in PipelineState state) => Console.WriteLine(state.Epoch);
        }
        """));

    /// <summary>The sample's classifier, as the sample compiles it (its enum beside it).</summary>
    [Fact]
    public void FashionMnistSample()
    {
        var sample = Path.Combine(RepositoryRoot(), "samples", "FashionMnist");
        var files = GeneratorHarness.Generate(
            File.ReadAllText(Path.Combine(sample, "FashionMnistClassifier.cs")),
            File.ReadAllText(Path.Combine(sample, "LearningRateSchedule.cs")));
        Snapshot.Match(Assert.Single(files).Text);
    }

    static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string caller = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(caller)!, "..", ".."));
}
