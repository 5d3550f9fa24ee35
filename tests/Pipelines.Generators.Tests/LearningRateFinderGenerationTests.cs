namespace Pipelines.Generators.Tests;

/// <summary>When a pipeline gets <c>FindLearningRate</c>: a loss-returning step of the batch alone and one <c>torch.optim.Optimizer</c>.</summary>
public sealed class LearningRateFinderGenerationTests
{
    static string Generate(string optimizers, string step) => Fixtures.GenerateOne($$"""
        [Pipeline]
        public partial class C
        {
            [Model] readonly Net model = new();
        {{optimizers}}

            [TrainingStep]
            {{step}}
        }
        """);

    const string Adam = "    [Optimizer] readonly Adam adam = optim.Adam(new Net().parameters(), 1e-3);";

    [Theory]
    [InlineData(Adam)]
    [InlineData("    [Optimizer] readonly SGD sgd = optim.SGD(new Net().parameters(), 0.1);")]
    [InlineData("    [Optimizer] optim.Optimizer Tuned { get; } = optim.AdamW(new Net().parameters());")]
    public void A_loss_step_with_one_torch_optimizer_gets_it(string optimizer) =>
        Assert.Contains("FindLearningRate(", Generate(optimizer, "Tensor Train(Batch batch) => model.call(batch.Input).mean();"), StringComparison.Ordinal);

    [Fact]
    public void A_member_of_that_name_in_the_class_takes_its_place()
    {
        var generated = Generate(Adam + "\n    public double FindLearningRate() => 1e-3;", "Tensor Train(Batch batch) => model.call(batch.Input).mean();");
        Assert.DoesNotContain("FindLearningRate", generated, StringComparison.Ordinal);
        Assert.Contains(" Fit(", generated, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    [Optimizer] readonly Sgd sgd = new();", "Tensor Train(Batch batch) => model.call(batch.Input).mean();")]
    [InlineData(Adam + "\n    [Optimizer] readonly Sgd sgd = new();", "Tensor Train(Batch batch) => model.call(batch.Input).mean();")]
    [InlineData(Adam, "Tensor Train(Batch batch, in PipelineState state) => model.call(batch.Input).mean();")]
    [InlineData(Adam, "void Train(Batch batch, Adam adam) { adam.zero_grad(); model.call(batch.Input).mean().backward(); adam.step(); }")]
    public void Without_a_single_rate_to_find_or_a_step_to_drive_there_is_none(string optimizers, string step) =>
        Assert.DoesNotContain("FindLearningRate", Generate(optimizers, step), StringComparison.Ordinal);
}
