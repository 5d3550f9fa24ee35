namespace Pipelines.Generators.Tests;

/// <summary>Focused checks on the generated declarations: the partials around the class, the hyperparameters record's recording and constructor, the metrics record's keys.</summary>
public sealed class DeclarationGenerationTests
{
    [Fact]
    public void A_nested_generic_class_is_reopened_inside_each_containing_type() => CodeText.ContainsBlock("""
        namespace Sample.Nested;

        partial class Experiments
        {
            partial class Tuned<TBatch>
            {
                partial class Run<TTag> : global::System.IDisposable
                {
        """, Fixtures.GenerateOne("""
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

                    [TrainingStep]
                    Tensor Train(TBatch batch) => model.call(TorchSharp.torch.zeros(1, 4)).mean();
                }
            }
        }
        """));

    [Fact]
    public void A_class_in_the_global_namespace_has_no_namespace_line() => CodeText.ContainsBlock("""
        #nullable enable

        partial class Everywhere : global::System.IDisposable
        {
        """, Fixtures.GenerateOne("""
        [Pipeline]
        partial class Everywhere
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            static Tensor Train(Batch batch) => batch.Input.mean();
        }
        """));

    static readonly string Tuned = Fixtures.GenerateOne("""
        namespace Sample;

        public enum Schedule { Constant, Cosine }

        [Pipeline]
        public partial class Tuned
        {
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            [Hyperparameter] public int BatchSize { get; } = 64;
            [Hyperparameter] public float? Dropout { get; }
            [Hyperparameter] public string? Optimizer { get; } = "adam";
            [Hyperparameter] public Schedule Schedule { get; } = Schedule.Cosine;
            [Hyperparameter] public TimeSpan Budget { get; } = TimeSpan.FromMinutes(5);
            [Hyperparameter] readonly bool warmup = true;
            [Hyperparameter] static readonly long seed = 42;

            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();

            [TrainingStep]
            Tensor Train(Batch batch, in PipelineState state) => model.call(batch.Input).mean();
        }
        """);

    [Fact]
    public void Hyperparameters_are_recorded_typed_where_a_Set_overload_takes_them_and_as_text_otherwise() => CodeText.ContainsBlock("""
        var values = new global::Pipelines.Checkpoints.HyperparameterValues();
        values.Set("LearningRate", LearningRate);
        values.Set("BatchSize", BatchSize);
        values.Set("Dropout", Dropout);
        values.Set("Optimizer", Optimizer);
        values.SetText("Schedule", Schedule);
        values.SetText("Budget", Budget);
        values.Set("Warmup", Warmup);
        values.Set("Seed", Seed);
        return values;
        """, Tuned);

    [Fact]
    public void The_constructor_sets_every_instance_hyperparameter_and_the_capture_reads_static_ones_through_the_type()
    {
        CodeText.ContainsBlock("""
            global::System.ArgumentNullException.ThrowIfNull(hyperparameters);
            this.LearningRate = hyperparameters.LearningRate;
            this.BatchSize = hyperparameters.BatchSize;
            this.Dropout = hyperparameters.Dropout;
            this.Optimizer = hyperparameters.Optimizer;
            this.Schedule = hyperparameters.Schedule;
            this.Budget = hyperparameters.Budget;
            this.warmup = hyperparameters.Warmup;
            """, CodeText.Member(Tuned, "public Tuned(Hyperparameters hyperparameters)"));
        CodeText.ContainsBlock("""
            Warmup = this.warmup,
            Seed = Tuned.seed,
            """, Tuned);
        // Budget's default is not a constant: no parameterless constructor.
        Assert.DoesNotContain("public Tuned()", Tuned, StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_without_hyperparameters_chains_to_the_generated_constructor_as_any_pipeline_does()
    {
        // Generate compiles the class with the generated code and fails on any error or warning:
        // before, ': this(new Hyperparameters())' was CS1729 here, with CS0649 on the initialised fields.
        var generated = Fixtures.GenerateOne("""
            namespace Sample;

            [Pipeline]
            public sealed partial class Plain
            {
                [Model] readonly Net model = new();
                [Optimizer] readonly Sgd optimizer = new();
                readonly float scale;

                public Plain(float scale) : this(new Hyperparameters()) => this.scale = scale;

                [TrainingStep]
                Tensor Train(Batch batch) => model.call(batch.Input).mean() * scale;
            }
            """);
        CodeText.ContainsBlock("""
            private Plain(Hyperparameters hyperparameters)
            #pragma warning restore CS8618
            {
            global::System.ArgumentNullException.ThrowIfNull(hyperparameters);
            }
            """, CodeText.Member(generated, "private Plain(Hyperparameters hyperparameters)"));
        // It sets nothing, so it is no public way around the class's own constructor.
        Assert.DoesNotContain("public Plain(Hyperparameters", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_keys_are_numbered_training_then_validation_then_test() => CodeText.ContainsBlock("""
        public static global::System.Collections.Generic.IReadOnlyList<global::Pipelines.Metrics.MetricKey> Keys { get; } = new global::Pipelines.Metrics.MetricKey[] { Metrics.Train.TrainingLoss, Metrics.Val.Accuracy, Metrics.Val.ValidationLoss, Metrics.Test.Accuracy };
        """, Fixtures.GenerateOne("""
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
}
