using static Pipelines.Analyzers.Tests.AnalyzerHarness;

namespace Pipelines.Analyzers.Tests;

/// <summary>
/// PIPE001–PIPE014: each rule the generator applies, broken and kept; every case also checks
/// that the generator emits code exactly when no structure error is reported.
/// </summary>
public sealed class StructureTests
{
    const string Valid = Snippets.Valid;

    [Fact]
    public void A_valid_pipeline_has_no_diagnostic() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Metric] readonly Mean loss = new();
            [ValidationStep] void Check(Batch batch) => loss.Update(model.call(batch.Input));
            [TestStep] void Final(Batch batch) => loss.Update(model.call(batch.Input));
            [OnEvent(Events.ValidationCompleted, Every = 2)] void Report(in PipelineState state) { }
            [OnEvent(Events.IterationCompleted, Every = 3, After = 2, Before = 10)] void Window() { }
        }
        """);

    [Fact]
    public void PIPE001_class_not_partial() => VerifyStructure($$"""
        [Pipeline]
        public class [|C|]
        {
        {{Valid}}
        }
        """, "PIPE001");

    [Fact]
    public void PIPE001_containing_type_not_partial() => VerifyStructure($$"""
        public class [|Outer|]
        {
            [Pipeline]
            public partial class C
            {
        {{Valid}}
            }
        }
        """, "PIPE001");

    [Fact]
    public void PIPE001_nested_in_partial_types_is_fine() => VerifyStructure($$"""
        public partial class Outer
        {
            [Pipeline]
            public partial class C
            {
        {{Valid}}
            }
        }
        """);

    [Fact]
    public void PIPE002_static_class() => VerifyStructure("""
        [Pipeline]
        public static partial class [|C|]
        {
            [TrainingStep]
            static Tensor Train(Batch batch) => batch.Input.mean();
        }
        """, "PIPE002");

    [Fact]
    public void PIPE002_static_step_in_an_instance_class_is_fine() => VerifyStructure("""
        [Pipeline]
        public partial class C
        {
            [TrainingStep]
            static Tensor Train(Batch batch) => batch.Input.mean();
        }
        """);

    [Fact]
    public void PIPE003_no_training_step() => VerifyStructure("""
        [Pipeline]
        public partial class [|C|]
        {
            [Model] readonly Fixtures.Net model = new();
        }
        """, "PIPE003");

    [Fact]
    public void PIPE003_manual_training_step_counts() => VerifyStructure("""
        [Pipeline]
        public partial class C
        {
            [TrainingStep]
            void Train(Batch batch) { }
        }
        """);

    [Fact]
    public void PIPE004_two_training_steps() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [TrainingStep] Tensor [|Again|](Batch batch) => batch.Input;
        }
        """, "PIPE004");

    [Fact]
    public void PIPE004_two_validation_steps() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [ValidationStep] void Check(Batch batch) { }
            [ValidationStep] void [|Recheck|](Batch batch) { }
        }
        """, "PIPE004");

    [Fact]
    public void PIPE004_one_step_of_each_kind_is_fine() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [ValidationStep] void Check(Batch batch) { }
            [TestStep] void Final(Batch batch) { }
        }
        """);

    [Theory]
    [InlineData("Tensor [|Train|](Batch a, Batch b) => a.Input;")]
    [InlineData("int [|Train|](Batch batch) => 0;")]
    [InlineData("Tensor [|Train|]() => zeros(1);")]
    [InlineData("Tensor [|Train|]<T>(T batch) => zeros(1);")]
    [InlineData("Tensor [|Train|](ref Batch batch) => batch.Input;")]
    public void PIPE005_unsupported_training_step(string step) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
            [TrainingStep]
            {{step}}
        }
        """, "PIPE005");

    [Theory]
    [InlineData("Tensor Train(Batch batch) => batch.Input;")]
    [InlineData("void Train(Batch batch) { }")]
    [InlineData("Parameter Train(int batch) => null!;")]
    public void PIPE005_supported_training_steps(string step) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
            [TrainingStep]
            {{step}}
        }
        """);

    [Theory]
    [InlineData("[TrainingStep] Tensor Train(Batch batch, in PipelineState state) => batch.Input;")]
    [InlineData("[TrainingStep] void Train(Batch batch, optim.Optimizer g, optim.Optimizer d) { }")]
    [InlineData("[TrainingStep] void Train(Batch batch, SGD g, optim.Optimizer d, in PipelineState state) { }")]
    public void PIPE005_steps_that_take_the_state_or_the_optimizers_are_supported(string step) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Sequential model = nn.Sequential();
            [Optimizer] readonly SGD generator = null!;
            [Optimizer] readonly SGD critic = null!;
            {{step}}
        }
        """);

    [Theory]
    [InlineData("[TrainingStep] Tensor [|Train|](Batch batch, optim.Optimizer g, optim.Optimizer d) => batch.Input;")]
    [InlineData("[TrainingStep] void [|Train|](Batch batch, optim.Optimizer g) { }")]
    [InlineData("[TrainingStep] void [|Train|](Batch batch, optim.Optimizer g, optim.Optimizer d, PipelineState state) { }")]
    public void PIPE005_optimizers_only_in_a_manual_step_and_all_of_them(string step) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Sequential model = nn.Sequential();
            [Optimizer] readonly SGD generator = null!;
            [Optimizer] readonly SGD critic = null!;
            {{step}}
        }
        """, "PIPE005");

    [Theory]
    [InlineData("[ValidationStep] void [|Check|](int batch) { }")]
    [InlineData("[ValidationStep] int [|Check|](Batch batch) => 0;")]
    [InlineData("[TestStep] void [|Check|](Batch a, Batch b) { }")]
    [InlineData("[TestStep] void [|Check|](in Batch batch) { }")]
    public void PIPE006_unsupported_evaluation_step(string step) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{step}}
        }
        """, "PIPE006");

    [Fact]
    public void PIPE006_evaluation_step_on_the_training_batch_type() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [ValidationStep] static void Check(Batch batch) { }
        }
        """);

    [Theory]
    [InlineData("[TrainingStep] Tensor [|Train|]((Tensor Input, Tensor Target, Tensor Weight) batch) => batch.Input.mean();")]
    [InlineData("[TrainingStep] Tensor [|Train|]((Tensor Input, int Label) batch) => batch.Input.mean();")]
    [InlineData("[TrainingStep] Tensor [|Train|](Span<float> batch) => zeros(1);")]
    public void PIPE034_training_step_on_a_type_no_source_can_pass(string step) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd optimizer = new();

            {{step}}
        }
        """, "PIPE034");

    [Theory]
    [InlineData("[ValidationStep] void [|Check|]((Tensor, Tensor, Tensor) batch) { }")]
    [InlineData("[TestStep] void [|Check|](ReadOnlySpan<Tensor> batch) { }")]
    public void PIPE034_evaluation_step_on_a_type_no_source_can_pass(string step) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{step}}
        }
        """, "PIPE034");

    [Theory]
    [InlineData("(Tensor, Tensor)", "batch.Item1", "Batch")]
    [InlineData("(Tensor X, Tensor Y)", "batch.X", "(Tensor Input, Tensor Target)")]
    [InlineData("Pair", "batch.X", "(Tensor, Tensor)")]
    [InlineData("Weighted", "batch.Input", "Pair")]
    [InlineData("Batch", "batch.Input", "Weighted")]
    public void PIPE034_steps_fed_from_the_loaders_batch_take_any_of_its_shapes(string training, string input, string validation) => VerifyStructure($$"""
        public readonly record struct Pair(Tensor X, Tensor Y);

        public sealed class Weighted
        {
            internal Weighted(Tensor input, Tensor target) => (Input, Target) = (input, target);

            public Tensor Input { get; }

            public Tensor Target { get; }
        }

        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd optimizer = new();

            [TrainingStep]
            Tensor Train({{training}} batch) => model.call({{input}}).mean();

            [ValidationStep]
            void Check({{validation}} batch) { }
        }
        """);

    [Fact]
    public void PIPE006_an_evaluation_step_of_a_type_of_its_own_beside_a_step_fed_from_batch() => VerifyStructure("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly Fixtures.Sgd optimizer = new();

            [TrainingStep]
            Tensor Train((Tensor X, Tensor Y) batch) => model.call(batch.X).mean();

            [ValidationStep]
            void {|PIPE006:Check|}(int batch) { }
        }
        """);

    [Theory]
    [InlineData("int [|H|]() => 0;")]
    [InlineData("void [|H|](PipelineState state) { }")]
    [InlineData("void [|H|](in PipelineState state, int extra) { }")]
    [InlineData("void [|H|]<T>() { }")]
    [InlineData("void [|H|](in int state) { }")]
    public void PIPE007_unsupported_handler(string handler) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [OnEvent(Events.Started)]
            {{handler}}
        }
        """, "PIPE007");

    [Theory]
    [InlineData("void H() { }")]
    [InlineData("void H(in PipelineState state) { }")]
    [InlineData("static void H(in PipelineState state) { }")]
    public void PIPE007_supported_handlers(string handler) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [OnEvent(Events.Started)]
            {{handler}}
        }
        """);

    [Fact]
    public void PIPE008_undefined_event() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [[|OnEvent((Events)99)|]] void H() { }
        }
        """, "PIPE008");

    [Fact]
    public void PIPE008_defined_event_through_a_cast_is_fine() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [OnEvent((Events)0)] void H() { }
        }
        """);

    [Theory]
    [InlineData("ValidationStarted")]
    [InlineData("ValidationCompleted")]
    public void PIPE009_validation_event_without_validation_step(string name) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [[|OnEvent(Events.{{name}})|]] void H() { }
        }
        """, "PIPE009");

    [Fact]
    public void PIPE009_validation_event_with_a_validation_step() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [ValidationStep] void Check(Batch batch) { }
            [OnEvent(Events.ValidationCompleted)] void H() { }
        }
        """);

    [Theory]
    [InlineData("Every = 0")]
    [InlineData("Once = -1")]
    [InlineData("Before = 0")]
    [InlineData("After = -1")]
    [InlineData("Every = 2, Once = 3")]
    [InlineData("Once = 2, After = 3")]
    [InlineData("Once = 2, Before = 3")]
    [InlineData("After = 3, Before = 4")]
    [InlineData("After = 5, Before = 2")]
    public void PIPE010_invalid_filter(string filter) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [[|OnEvent(Events.IterationCompleted, {{filter}})|]] void H() { }
        }
        """, "PIPE010");

    [Theory]
    [InlineData("Every = 1")]
    [InlineData("Once = 1")]
    [InlineData("After = 0")]
    [InlineData("After = 3, Before = 5")]
    [InlineData("Every = 2, After = 3, Before = 12")]
    public void PIPE010_valid_filter(string filter) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [OnEvent(Events.IterationCompleted, {{filter}})] void H() { }
        }
        """);

    [Theory]
    [InlineData("[Model] readonly string [|other|] = \"\";")]
    [InlineData("[Model] static readonly Fixtures.Net [|other|] = new();")]
    [InlineData("[Model] Fixtures.Net [|Other|] { set { } }")]
    public void PIPE011_model_not_a_module(string member) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{member}}
        }
        """, "PIPE011");

    [Fact]
    public void PIPE011_module_property_is_fine() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Model] Sequential Other { get; } = nn.Sequential(nn.ReLU());
        }
        """);

    [Fact]
    public void PIPE012_optimizer_without_step() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Optimizer] readonly object [|other|] = new();
        }
        """, "PIPE012");

    [Fact]
    public void PIPE012_torch_optimizer_is_fine() => VerifyStructure("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] readonly optim.Optimizer optimizer = optim.SGD(new Fixtures.Net().parameters(), 0.1);

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();
        }
        """);

    [Fact]
    public void PIPE013_metric_not_a_metric() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Metric] readonly Fixtures.Net [|other|] = new();
        }
        """, "PIPE013");

    [Fact]
    public void PIPE013_metric_interface_is_fine() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Metric] IMetric<double> Score { get; } = new Mean();
            [ValidationStep] void Check(Batch batch) => ((Mean)Score).Update(batch.Input.mean());
        }
        """);

    [Fact]
    public void PIPE025_checkpointed_member_without_state() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Checkpointed] readonly List<double> [|history|] = new();
        }
        """, "PIPE025");

    [Fact]
    public void PIPE025_checkpointed_state_is_fine() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Checkpointed] readonly Pipelines.Handlers.EarlyStopping early = new(new Pipelines.Metrics.MetricKey(0, "val/loss"), MonitorMode.Max, 3);
        }
        """);

    [Theory]
    [InlineData("[Hyperparameter] public double LearningRate { get; } = 1e-3; [Hyperparameter] public readonly double [|learningRate|] = 1e-2;")]
    [InlineData("[Hyperparameter] public int [|TryParse|] { get; } = 1;")]
    [InlineData("[Hyperparameter] public readonly int [|toValues|] = 1;")]
    public void PIPE026_hyperparameter_that_cannot_be_captured(string members) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{members}}
        }
        """, "PIPE026");

    [Fact]
    public void PIPE026_ordinary_hyperparameters_are_fine() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Hyperparameter] public double LearningRate { get; } = 1e-3;
            [Hyperparameter] public int? Epochs { get; } = null;
            [Hyperparameter] public string Device { get; } = "cpu";
        }
        """);

    [Theory]
    [InlineData("[Hyperparameter] public int[] [|HiddenSizes|] { get; } = [256, 128];")]
    [InlineData("[Hyperparameter] public readonly System.Collections.Generic.List<int> [|layers|] = new();")]
    [InlineData("[Hyperparameter] public System.Uri? [|Data|] { get; }")]
    public void PIPE027_hyperparameter_the_command_line_cannot_read(string member)
    {
        var source = $$"""
            [Pipeline]
            public partial class C
            {
            {{Valid}}
                [Hyperparameter] public double LearningRate { get; } = 1e-3;
                {{member}}
            }
            """;
        VerifyStructure(source, "PIPE027");
        // The warning's claim: the pipeline is generated, but without its command line.
        Assert.DoesNotContain("TryParse", GeneratedText(source), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Hyperparameter] public TimeSpan Timeout { get; } = TimeSpan.Zero;")]
    [InlineData("[Hyperparameter] public System.DayOfWeek? Day { get; }")]
    [InlineData("[Hyperparameter] public static int[] Layers { get; } = [256, 128];")]
    public void PIPE027_readable_or_static_hyperparameters_keep_the_command_line(string member)
    {
        var source = $$"""
            [Pipeline]
            public partial class C
            {
            {{Valid}}
                [Hyperparameter] public double LearningRate { get; } = 1e-3;
                {{member}}
            }
            """;
        VerifyStructure(source);
        Assert.Contains("public static bool TryParse(", GeneratedText(source), StringComparison.Ordinal);
    }

    [Fact]
    public void PIPE014_metric_property_collision() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Metric] readonly Mean score = new();
            [Metric] readonly Mean [|_score|] = new();
            [Metric] readonly Mean [|metrics|] = new();
            [ValidationStep] void Check(Batch batch) { score.Update(batch.Input.mean()); _score.Update(batch.Input.mean()); metrics.Update(batch.Input.mean()); }
        }
        """, "PIPE014");

    [Fact]
    public void PIPE014_distinct_metric_properties() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Metric] readonly Mean score = new();
            [Metric] readonly Mean bestScore = new();
            [ValidationStep] void Check(Batch batch) { score.Update(batch.Input.mean()); bestScore.Update(batch.Input.mean()); }
        }
        """);

    [Fact]
    public void Several_violations_are_all_reported() => VerifyStructure("""
        [Pipeline]
        public class {|PIPE001:{|PIPE003:C|}|}
        {
            [Model] readonly string {|PIPE011:model|} = "";
            [{|PIPE010:OnEvent(Events.Started, Every = 0)|}] int {|PIPE007:H|}() => 0;
        }
        """);

    [Fact]
    public void PIPE028_metric_that_nothing_updates() => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Metric] readonly Mean [|validationLoss|] = new();
            [Metric] readonly Mean viaHelper = new();
            [Metric] readonly Mean viaHandler = new();
            [ValidationStep] void Check(Batch batch) => Track(batch.Input.mean());
            void Track(Tensor value) => viaHelper.Update(value);
            [OnEvent(Events.IterationCompleted)] void Tick() => viaHandler.Update(zeros(1));
        }
        """, "PIPE028");

    [Fact]
    public void PIPE028_in_a_build_the_generated_members_reach_nothing() => VerifyGenerated($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            [Metric] readonly Mean [|validationLoss|] = new();
            [ValidationStep] void Check(Batch batch) => model.call(batch.Input).Dispose();
        }
        """, "PIPE028");

    [Theory]
    [InlineData("public string [|Metrics|] { get; } = \"\";")]
    [InlineData("readonly int [|Fit|] = 0;")]
    [InlineData("public sealed class [|Hyperparameters|] { }")]
    [InlineData("void [|Metrics|]() { }")]
    [InlineData("[ValidationStep] void Check(Batch batch) { } int [|Validate|] => 0;")]
    public void PIPE031_member_named_like_a_generated_member(string member) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{member}}
        }
        """, "PIPE031");

    [Theory]
    [InlineData("[ValidationStep] void Validate(Batch batch) { }")]
    [InlineData("void Fit() { }")]
    [InlineData("int Validate => 0;")]
    [InlineData("int Test => 0;")]
    [InlineData("object FindLearningRate() => new();")]
    public void PIPE031_overloads_and_names_the_generator_does_not_write_here(string member) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{member}}
        }
        """);

    [Theory]
    [InlineData("[Hyperparameter] public double [|LearningRate|] { get; init; } = 1e-3;")]
    [InlineData("[Hyperparameter] public int [|Hidden|] { get; private init; } = 8;")]
    [InlineData("double rate = 1e-3; [Hyperparameter] public double [|Rate|] { get => rate; init => rate = value; }")]
    [InlineData("[Hyperparameter] public double [|LearningRate|] { get; set; } = 1e-3;")]
    [InlineData("[Hyperparameter] public int [|Hidden|] { get; internal set; } = 8;")]
    [InlineData("[Hyperparameter] public int [|Hidden|] { get; protected set; } = 8;")]
    [InlineData("double rate = 1e-3; [Hyperparameter] public double [|Rate|] { get => rate; set => rate = value; }")]
    [InlineData("[Hyperparameter] public double [|learningRate|] = 1e-3;")]
    [InlineData("[Hyperparameter] internal int [|hidden|] = 8;")]
    public void PIPE033_hyperparameter_that_can_be_set_after_construction(string member) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{member}}
        }
        """, "PIPE033");

    [Theory]
    [InlineData("[Hyperparameter] public double LearningRate { get; } = 1e-3;")]
    [InlineData("[Hyperparameter] public double LearningRate { get; private set; } = 1e-3;")]
    [InlineData("[Hyperparameter] public readonly double learningRate = 1e-3;")]
    [InlineData("[Hyperparameter] double learningRate = 1e-3;")]
    [InlineData("[Hyperparameter] public static double Scale { get; set; } = 1;")]
    [InlineData("[Hyperparameter] public const int Width = 4;")]
    [InlineData("public string? Note { get; init; }")]
    [InlineData("public string? Note { get; set; }")]
    public void PIPE033_hyperparameters_only_the_class_can_set_and_settable_members_that_are_not_hyperparameters_are_fine(string member) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{member}}
        }
        """);

    [Theory]
    [InlineData("[ConfigureOptimizers] static void [|Configure|]() { }")]
    [InlineData("[ConfigureOptimizers] Fixtures.Sgd [|Configure|]() => new();")]
    [InlineData("[ConfigureOptimizers] void [|Configure|](int learningRate) { }")]
    [InlineData("[ConfigureOptimizers] void [|Configure|]<T>() { }")]
    public void PIPE035_unsupported_ConfigureOptimizers_method(string method) => VerifyStructure($$"""
        [Pipeline]
        public partial class C
        {
        {{Valid}}
            {{method}}
        }
        """, "PIPE035");

    [Fact]
    public void PIPE035_a_parameterless_void_instance_method_is_fine_and_a_second_one_is_a_duplicate() => VerifyStructure("""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Fixtures.Net model = new();
            [Optimizer] Fixtures.Sgd optimizer = new();

            [ConfigureOptimizers] void Configure() => optimizer = new();
            [ConfigureOptimizers] void [|Again|]() { }

            [TrainingStep]
            Tensor Train(Batch batch) => model.call(batch.Input).mean();
        }
        """, "PIPE004");
}
