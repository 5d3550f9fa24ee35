namespace Pipelines.Generators.Tests;

/// <summary>End-to-end scenarios: the whole generated file against its checked-in snapshot (each also compiles cleanly).</summary>
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
            [Hyperparameter] public double LearningRate { get; init; } = 1e-3;

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

    [Fact]
    public void EveryEventWithEveryFilter()
    {
        var filters = new[] { "", ", Every = 3", ", Once = 2", ", Before = 4", ", After = 2", ", Every = 2, After = 1, Before = 9" };
        var kinds = new[] { "Always", "Every", "Once", "Before", "After", "Window" };
        var handlers = new System.Text.StringBuilder();
        var withState = false;
        foreach (var e in Enum.GetNames<Events>())
            for (var k = 0; k < filters.Length; k++)
            {
                withState = !withState;
                handlers.AppendLine($"    [OnEvent(Events.{e}{filters[k]})] void On{e}{kinds[k]}({(withState ? "in PipelineState state" : "")}) {{ }}");
            }
        Snapshot.Match(Fixtures.GenerateOne($$"""
            namespace Sample;

            [Pipeline]
            public partial class Observed
            {
                [Model] readonly Net model = new();
                [Optimizer] readonly Sgd optimizer = new();

                [TrainingStep]
                Tensor Train(Batch batch) => model.call(batch.Input).mean();

                [ValidationStep]
                void Validate(Batch batch) => model.call(batch.Input);

            {{handlers}}
            }
            """));
    }

    [Fact]
    public void SeveralHandlersOnOneEvent()
    {
        var code = Fixtures.GenerateOne("""
            namespace Sample;

            [Pipeline]
            public partial class Logged
            {
                [Model] readonly Net model = new();
                [Optimizer] readonly Sgd optimizer = new();

                [TrainingStep]
                Tensor Train(Batch batch) => model.call(batch.Input).mean();

                [OnEvent(Events.IterationCompleted)]
                void Third() { }

                [OnEvent(Events.IterationCompleted, Every = 10)]
                [OnEvent(Events.EpochCompleted)]
                static void First() { }

                [OnEvent(Events.IterationCompleted, Once = 5)]
                void Second(in PipelineState state) => state.Terminate();
            }
            """);
        // In the iteration loop, declaration order (not alphabetical): Third, then First, then Second.
        var epoch = code[code.LastIndexOf("RunTrainingEpoch(", StringComparison.Ordinal)..];
        var third = epoch.IndexOf("this.Third();", StringComparison.Ordinal);
        var first = epoch.IndexOf("    First();", StringComparison.Ordinal);
        var second = epoch.IndexOf("this.Second(in state);", StringComparison.Ordinal);
        Assert.True(third >= 0 && third < first && first < second, $"order: Third {third}, First {first}, Second {second}");
        Snapshot.Match(code);
    }

    [Fact]
    public void MetricsInValidationAndTest() => Snapshot.Match(Fixtures.GenerateOne("""
        namespace Sample;

        [Pipeline]
        public partial class Measured
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [Metric] readonly RunningAverage trainingLoss = new();
            [Metric] readonly Accuracy accuracy = new(topK: 3);
            [Metric] readonly Mean validationLoss = new();
            [Metric] ConfusionMatrix Confusion { get; } = new(10);

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                trainingLoss.Update(loss);
                return loss;
            }

            [ValidationStep]
            void Validate(Batch batch)
            {
                var logits = model.call(batch.Input);
                accuracy.Update(logits, batch.Target);
                validationLoss.Update(logits.mean());
            }

            [TestStep]
            void Test(Batch batch)
            {
                var logits = model.call(batch.Input);
                accuracy.Update(logits, batch.Target);
                Confusion.Update(logits, batch.Target);
            }
        }
        """));

    [Fact]
    public void CheckpointedMembers() => Snapshot.Match(Fixtures.GenerateOne("""
        using Pipelines.Handlers;
        using Pipelines.Schedulers;

        namespace Sample;

        [Pipeline]
        public partial class Resumable
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly SGD optimizer;
            [Optimizer] readonly Sgd custom = new();            // not a torch.optim.Optimizer: not in the checkpoint

            [Metric] readonly Mean trainingLoss = new();        // training accumulators: saved
            [Metric] readonly Mean validationLoss = new();      // validation only: not saved
            [Checkpointed] readonly EarlyStopping early = new(Metrics.Val.ValidationLoss, MonitorMode.Min, patience: 3);
            [Checkpointed] StepLR Schedule { get; }

            public Resumable()
            {
                optimizer = optim.SGD(model.parameters(), 0.1);
                Schedule = new StepLR(optimizer, stepSize: 10);
            }

            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                trainingLoss.Update(loss);
                return loss;
            }

            [ValidationStep]
            void Validate(Batch batch) => validationLoss.Update(model.call(batch.Input).mean());
        }
        """));

    [Fact]
    public void CallbacksInDeclarationOrder() => Snapshot.Match(Fixtures.GenerateOne("""
        using Pipelines.Checkpoints;
        using Pipelines.Handlers;
        using Pipelines.Logging;
        using Pipelines.Schedulers;

        namespace Sample;

        /// <summary>A user's own callback: any member whose type implements a handler interface is called.</summary>
        public sealed class StepCounter : IIterationCompletedHandler
        {
            public int Steps { get; private set; }

            public void OnIterationCompleted(in PipelineState state) => Steps++;
        }

        [Pipeline]
        public partial class Monitored
        {
            [Hyperparameter] public double LearningRate { get; } = 0.1;
            [Hyperparameter] public int Patience { get; } = 2;

            [Model] readonly Net model = new();
            [Optimizer] readonly SGD optimizer;
            [Metric] readonly Accuracy accuracy = new();
            [Metric] readonly Mean loss = new();

            readonly ProgressBar progress = new();
            readonly StepCounter counter = new();
            readonly OneCycleLR schedule;
            readonly EarlyStopping early;
            readonly BestCheckpoints best = new(Metrics.Val.Accuracy, MonitorMode.Max, keep: 2);
            readonly TensorBoardLogger tensorboard = new();

            // A computed property shows a callback; it is not one (no second call).
            public EarlyStopping Early => early;

            public Monitored(Hyperparameters hyperparameters, int seed) : this(hyperparameters)
            {
                optimizer = optim.SGD(model.parameters(), LearningRate, momentum: 0.9);
                schedule = new OneCycleLR(optimizer, maxLr: LearningRate);
                early = new EarlyStopping(Metrics.Val.Loss, MonitorMode.Min, Patience);
            }

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();

            [ValidationStep, TestStep]
            void Evaluate(Batch batch)
            {
                var logits = model.call(batch.Input);
                accuracy.Update(logits, batch.Target);
                loss.Update(logits.mean());
            }

            [OnEvent(Events.EpochCompleted)]
            void Between(in PipelineState state) { }
        }
        """));

    [Fact]
    public void LearningRateFinderForOneTorchSharpOptimizer() => Snapshot.Match(Fixtures.GenerateOne("""
        namespace Sample;

        [Pipeline]
        public partial class Tunable
        {
            [Model] readonly Net encoder = new();
            [Model] Net Head { get; } = new();
            [Optimizer] readonly Adam optimizer;

            public Tunable() => optimizer = optim.Adam(encoder.parameters(), 1e-3);

            [TrainingStep]
            Tensor Train(Batch batch) => Head.call(encoder.call(batch.Input)).mean();
        }
        """));

    [Fact]
    public void GradientAccumulationWithTwoOptimizers() => Snapshot.Match(Fixtures.GenerateOne("""
        namespace Sample;

        [Pipeline]
        public partial class TwoParts
        {
            [Model] readonly Net encoder = new();
            [Model] Net Decoder { get; } = new();
            [Optimizer] readonly Sgd encoderOptimizer = new();
            [Optimizer] readonly Sgd decoderOptimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch) => Decoder.call(encoder.call(batch.Input)).mean();

            [OnEvent(Events.BackwardCompleted)]
            void AfterBackward(in PipelineState state) => Console.WriteLine(state.OptimizerSteps);
        }
        """));

    [Fact]
    public void ManualOptimization() => Snapshot.Match(Fixtures.GenerateOne("""
        namespace Sample;

        [Pipeline]
        public partial class Gan
        {
            [Model] readonly Net generator = new();
            [Model] readonly Net discriminator = new();
            [Optimizer] readonly Sgd generatorOptimizer = new();
            [Optimizer] readonly Sgd discriminatorOptimizer = new();

            [TrainingStep]
            void Train(Batch batch, Sgd generatorSteps, Sgd discriminatorSteps, in PipelineState state)
            {
                discriminatorSteps.zero_grad();
                discriminator.call(batch.Input).mean().backward();
                discriminatorSteps.step();
                if (state.Iteration % 2 == 0)
                {
                    generatorSteps.zero_grad();
                    discriminator.call(generator.call(batch.Target)).mean().backward();
                    generatorSteps.step();
                }
            }
        }
        """));

    [Fact]
    public void HyperparametersOfEveryKind() => Snapshot.Match(Fixtures.GenerateOne("""
        namespace Sample;

        public enum Schedule { Constant, Cosine }

        [Pipeline]
        public partial class Tuned
        {
            [Hyperparameter] public double LearningRate { get; init; } = 1e-3;
            [Hyperparameter] public int BatchSize { get; init; } = 64;
            [Hyperparameter] public float? Dropout { get; init; }
            [Hyperparameter] public string? Optimizer { get; init; } = "adam";
            [Hyperparameter] public Schedule Schedule { get; init; } = Schedule.Cosine;
            [Hyperparameter] public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(5);
            [Hyperparameter] readonly bool warmup = true;
            [Hyperparameter] static readonly long seed = 42;

            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch, in PipelineState state) => model.call(batch.Input).mean();
        }
        """));

    [Fact]
    public void GenericAndNestedClasses() => Snapshot.Match(Fixtures.GenerateOne("""
        namespace Sample.Nested;

        public static partial class Experiments
        {
            internal partial class Tuned<TBatch> where TBatch : struct
            {
                [Pipeline]
                internal sealed partial class Run<TTag>
                {
                    [Model] readonly Net model = new();
                    [Optimizer] readonly Sgd optimizer = new();
                    [Metric] readonly Mean score = new();

                    [TrainingStep]
                    Tensor Train(TBatch batch) => model.call(TorchSharp.torch.zeros(1, 4)).mean();

                    [ValidationStep]
                    void Validate(TBatch batch) => score.Update(model.call(TorchSharp.torch.zeros(1, 4)));
                }
            }
        }
        """));

    [Fact]
    public void GlobalNamespace() => Snapshot.Match(Fixtures.GenerateOne("""
        [Pipeline]
        partial class Everywhere
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            static Tensor Train(Batch batch) => batch.Input.mean();

            [OnEvent(Events.Started)]
            static void Hello() => Console.WriteLine("started");
        }
        """));
}
