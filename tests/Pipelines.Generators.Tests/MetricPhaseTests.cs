namespace Pipelines.Generators.Tests;

/// <summary>
/// Which phase resets and computes a [Metric]: the phase of every step whose body reaches it,
/// directly or through the pipeline's own helper methods and properties.
/// </summary>
public sealed class MetricPhaseTests
{
    static string Generate(string members) => Fixtures.GenerateOne($$"""
        public abstract class Scoring
        {
            protected abstract Accuracy Score { get; }

            protected void Grade(Tensor logits, Tensor target) => Score.Update(logits, target);
        }

        [Pipeline]
        public partial class C : Scoring
        {
            [Model] readonly Net model = new();
            [Optimizer] readonly Sgd optimizer = new();
            [Metric] readonly Mean trainingLoss = new();
            [Metric] readonly Mean validationLoss = new();
            [Metric] readonly Accuracy accuracy = new();
            [Metric] readonly Accuracy testAccuracy = new();

            protected override Accuracy Score => testAccuracy;

        {{members}}
        }
        """);

    const string Steps = """
            [TrainingStep]
            Tensor Train(Batch batch)
            {
                var loss = model.call(batch.Input).mean();
                Track(loss);
                return loss;
            }

            [ValidationStep]
            void Validate(Batch batch) => Evaluate(batch);

            [TestStep]
            void Test(Batch batch) => Grade(model.call(batch.Input), batch.Target);

            void Track(Tensor loss) => trainingLoss.Update(loss);

            void Evaluate(Batch batch)
            {
                var logits = Logits(batch);
                validationLoss.Update(logits.mean());
                Classify(logits, batch.Target);
            }

            Tensor Logits(Batch batch) => model.call(batch.Input);

            void Classify(Tensor logits, Tensor target) => accuracy.Update(logits, target);
        """;

    [Fact]
    public void Metrics_updated_through_helpers_belong_to_the_phase_of_the_step_that_calls_them()
    {
        var generated = Generate(Steps);
        Assert.Contains("new Metrics(TrainingLoss: this.trainingLoss.Compute(), ValidationLoss: null, Accuracy: null, TestAccuracy: null)", generated, StringComparison.Ordinal);
        Assert.Contains("new Metrics(TrainingLoss: null, ValidationLoss: this.validationLoss.Compute(), Accuracy: this.accuracy.Compute(), TestAccuracy: null)", generated, StringComparison.Ordinal);
        // Grade is inherited and updates the metric through an overridden property.
        Assert.Contains("new Metrics(TrainingLoss: null, ValidationLoss: null, Accuracy: null, TestAccuracy: this.testAccuracy.Compute())", generated, StringComparison.Ordinal);
    }

    [Fact]
    public void A_helper_reached_from_two_steps_puts_its_metric_in_both_phases()
    {
        var generated = Generate("""
                [TrainingStep]
                Tensor Train(Batch batch)
                {
                    var logits = model.call(batch.Input);
                    Classify(logits, batch.Target);
                    return logits.mean();
                }

                [ValidationStep]
                void Validate(Batch batch) => Classify(model.call(batch.Input), batch.Target);

                void Classify(Tensor logits, Tensor target) => accuracy.Update(logits, target);
            """);
        Assert.Contains("new Metrics(TrainingLoss: null, ValidationLoss: null, Accuracy: this.accuracy.Compute(), TestAccuracy: null)", generated, StringComparison.Ordinal);
        // The metrics no step reaches default to validation, as before.
        Assert.Contains("new Metrics(TrainingLoss: this.trainingLoss.Compute(), ValidationLoss: this.validationLoss.Compute(), Accuracy: this.accuracy.Compute(), TestAccuracy: this.testAccuracy.Compute())", generated, StringComparison.Ordinal);
    }
}
