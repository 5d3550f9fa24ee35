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
}
