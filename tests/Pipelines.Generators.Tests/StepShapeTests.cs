namespace Pipelines.Generators.Tests;

/// <summary>Cheap string checks on how the loop calls each accepted training-step shape.</summary>
public sealed class StepShapeTests
{
    static string Generate(string members) => Fixtures.GenerateOne($$"""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd first = new();
            [Optimizer] readonly Sgd second = new();

            {{members}}
        }
        """);

    [Fact]
    public void A_manual_step_on_the_batch_alone_is_called_and_counted_as_one_step()
    {
        var code = Generate("[TrainingStep] void Train(Batch batch) { first.step(); }");
        Assert.Contains("    this.Train(batch);\n            run.EndPhase(global::Pipelines.ProfiledPhase.TrainingStep);\n            run.CompleteManualStep();\n", code, StringComparison.Ordinal);
        Assert.Contains("manualOptimization: true", code, StringComparison.Ordinal);
        Assert.DoesNotContain("zero_grad", code, StringComparison.Ordinal);
        Assert.DoesNotContain("Clip", code, StringComparison.Ordinal);
    }

    [Fact]
    public void A_manual_step_gets_the_optimizers_in_declaration_order_then_the_state()
    {
        var code = Generate("[TrainingStep] void Train(Batch batch, Sgd a, object b, in PipelineState state) { }");
        Assert.Contains("this.Train(batch, this.first, this.second, in state);\n", code, StringComparison.Ordinal);
    }

    [Fact]
    public void An_automatic_step_may_take_the_state()
    {
        var code = Generate("[TrainingStep] Tensor Train(Batch batch, in PipelineState state) => model.call(batch.Input).mean();");
        Assert.Contains("loss = this.Train(batch, in state);\n", code, StringComparison.Ordinal);
        Assert.DoesNotContain("manualOptimization", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Clipping_runs_after_the_window_and_before_the_first_optimizer_step()
    {
        var code = Generate("[TrainingStep] Tensor Train(Batch batch) => model.call(batch.Input).mean();");
        var backward = code.IndexOf("run.Backward(loss);", StringComparison.Ordinal);
        var window = code.IndexOf("if (run.CompleteBackward())", StringComparison.Ordinal);
        var clip = code.IndexOf("clipping.Clip();", StringComparison.Ordinal);
        var step = code.IndexOf("this.first.step();", StringComparison.Ordinal);
        Assert.True(backward < window && window < clip && clip < step, $"backward {backward}, window {window}, clip {clip}, step {step}");
        Assert.Contains("var clipping = global::Pipelines.Generated.GradientClipping.For(options, this.model);\n", code, StringComparison.Ordinal);
    }

    /// <summary>A pipeline whose steps take <paramref name="training"/> and <paramref name="validation"/>, and a caller that feeds it BatchLoaders.</summary>
    static string GenerateFedByLoader(string training, string validation) => Fixtures.GenerateOne($$"""
        public readonly record struct Pair(Tensor X, Tensor Y);

        public sealed record Example(Tensor Input, Tensor Target);

        [Pipeline]
        public partial class C
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd first = new();

            [TrainingStep]
            Tensor Train({{training}} batch) => model.call(batch.{{(training == "Pair" ? "X" : "Item1")}}).mean();

            [ValidationStep]
            void Check({{validation}} batch) { }
        }

        public static class Caller
        {
            public static void Run(C pipeline, BatchLoader train, BatchLoader validation) => pipeline.Fit(train, validation);
        }
        """);

    [Fact]
    public void A_tuple_step_is_fed_from_the_loaders_batch_built_at_the_call_site()
    {
        var code = GenerateFedByLoader("(Tensor X, Tensor Y)", "Batch");
        Assert.Contains("global::Pipelines.Data.IBatchSource<global::Pipelines.Data.Batch> train,", code, StringComparison.Ordinal);
        Assert.Contains("loss = this.Train((batch.Input, batch.Target));\n", code, StringComparison.Ordinal);
        Assert.Contains("this.Check(data.GetBatch(index));\n", code, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_step_is_constructed_from_the_batch_and_an_evaluation_step_gets_the_batch_in_a_local()
    {
        var code = GenerateFedByLoader("Pair", "Example");
        Assert.Contains("loss = this.Train(new global::Pair(batch.Input, batch.Target));\n", code, StringComparison.Ordinal);
        Assert.Contains("var batch = data.GetBatch(index);\n", code, StringComparison.Ordinal);
        Assert.Contains("this.Check(new global::Example(batch.Input, batch.Target));\n", code, StringComparison.Ordinal);
        Assert.DoesNotContain("IBatchSource<global::Pair>", code, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_on_a_type_of_its_own_keeps_its_own_source()
    {
        var code = Generate("[TrainingStep] Tensor Train(int batch) => zeros(1);");
        Assert.Contains("global::Pipelines.Data.IBatchSource<int> train,", code, StringComparison.Ordinal);
        Assert.Contains("loss = this.Train(batch);\n", code, StringComparison.Ordinal);
    }
}
