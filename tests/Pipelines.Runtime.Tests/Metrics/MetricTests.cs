using Pipelines.Metrics;

namespace Pipelines.Runtime.Tests.Metrics;

/// <summary>Each metric against values worked out by hand (in the comments).</summary>
public sealed class MetricTests
{
    static Tensor Floats(params float[] values) => torch.tensor(values);

    static Tensor Longs(params long[] values) => torch.tensor(values);

    static Tensor Scores(float[,] values) => torch.from_array(values);

    [Fact]
    public void Mean_weights_every_element()
    {
        using var scope = torch.NewDisposeScope();
        using var mean = new Mean();
        mean.Update(Floats(1, 2, 3));
        mean.Update(Floats(4));
        Assert.Equal(2.5, mean.Compute(), 12);          // (1 + 2 + 3 + 4) / 4
        mean.Reset();
        mean.Update(Floats(10));
        Assert.Equal(10, mean.Compute(), 12);
    }

    [Fact]
    public void Compute_without_data_is_a_clear_error()
    {
        using var mean = new Mean();
        var error = Assert.Throws<InvalidOperationException>(() => mean.Compute());
        Assert.Contains("Mean", error.Message, StringComparison.Ordinal);
        using var accuracy = new Accuracy();
        Assert.Throws<InvalidOperationException>(() => accuracy.Compute());
        using var average = new RunningAverage();
        Assert.Throws<InvalidOperationException>(() => average.Compute());
        using var matrix = new ConfusionMatrix(3);
        Assert.Throws<InvalidOperationException>(() => matrix.Compute());
    }

    [Fact]
    public void Mean_of_a_tensor_with_grad_does_not_keep_the_graph()
    {
        using var scope = torch.NewDisposeScope();
        using var mean = new Mean();
        var w = torch.ones(2).requires_grad_();
        mean.Update(w.mul(3.0));
        Assert.Equal(3, mean.Compute(), 12);
    }

    [Fact]
    public void Accuracy_top1_counts_arg_max_hits()
    {
        using var scope = torch.NewDisposeScope();
        using var accuracy = new Accuracy();
        // Predictions 1, 0, 1 against targets 1, 1, 1: two hits out of three.
        accuracy.Update(Scores(new float[,] { { 0.1f, 0.9f }, { 0.8f, 0.2f }, { 0.3f, 0.7f } }), Longs(1, 1, 1));
        Assert.Equal(2.0 / 3, accuracy.Compute(), 12);
        // One more batch: target 0 predicted 0 -> 3 of 4.
        accuracy.Update(Scores(new float[,] { { 0.6f, 0.4f } }), Longs(0));
        Assert.Equal(0.75, accuracy.Compute(), 12);
    }

    [Fact]
    public void Accuracy_topK_counts_a_target_among_the_k_best()
    {
        using var scope = torch.NewDisposeScope();
        using var accuracy = new Accuracy(topK: 2);
        // Row 0 ranks 2 > 1 > 0, target 1: hit. Row 1 ranks 0 > 1 > 2, target 2: miss.
        accuracy.Update(Scores(new float[,] { { 0.1f, 0.3f, 0.6f }, { 0.5f, 0.3f, 0.2f } }), Longs(1, 2));
        Assert.Equal(0.5, accuracy.Compute(), 12);
    }

    [Fact]
    public void RunningAverage_moves_by_one_minus_alpha()
    {
        using var scope = torch.NewDisposeScope();
        using var average = new RunningAverage(alpha: 0.5);
        average.Update(Floats(2));
        Assert.Equal(2, average.Compute(), 12);         // the first value starts it
        average.Update(Floats(4));
        Assert.Equal(3, average.Compute(), 12);         // 0.5 * 2 + 0.5 * 4
        average.Update(Floats(8));
        Assert.Equal(5.5, average.Compute(), 12);       // 0.5 * 3 + 0.5 * 8
    }

    [Fact]
    public void Squared_and_absolute_errors()
    {
        using var scope = torch.NewDisposeScope();
        using var mse = new MeanSquaredError();
        using var mae = new MeanAbsoluteError();
        var predictions = Floats(1, 2, 3);
        var targets = Floats(1, 4, 0);
        mse.Update(predictions, targets);
        mae.Update(predictions, targets);
        Assert.Equal(13.0 / 3, mse.Compute(), 6);       // (0 + 4 + 9) / 3
        Assert.Equal(5.0 / 3, mae.Compute(), 6);        // (0 + 2 + 3) / 3
    }

    // Targets 0 1 2 2 1, predictions 0 2 2 2 1.
    static readonly long[] Targets = [0, 1, 2, 2, 1];
    static readonly long[] Predicted = [0, 2, 2, 2, 1];

    [Fact]
    public void ConfusionMatrix_rows_are_targets_and_columns_predictions()
    {
        using var scope = torch.NewDisposeScope();
        using var matrix = new ConfusionMatrix(3);
        matrix.Update(Longs(Predicted[..2]), Longs(Targets[..2]));
        matrix.Update(Longs(Predicted[2..]), Longs(Targets[2..]));
        Assert.Equal(new long[,] { { 1, 0, 0 }, { 0, 1, 1 }, { 0, 0, 2 } }, matrix.Compute());
    }

    [Fact]
    public void ConfusionMatrix_takes_scores_too()
    {
        using var scope = torch.NewDisposeScope();
        using var matrix = new ConfusionMatrix(2);
        matrix.Update(Scores(new float[,] { { 0.9f, 0.1f }, { 0.2f, 0.8f }, { 0.7f, 0.3f } }), Longs(0, 0, 1));
        Assert.Equal(new long[,] { { 1, 1 }, { 1, 0 } }, matrix.Compute());
    }

    [Theory]
    // Per class: precision 1/1, 1/1, 2/3; recall 1/1, 1/2, 2/2; F1 1, 2/3, 4/5. Micro: 4 hits of 5.
    [InlineData("precision", Averaging.Macro, (1 + 1 + 2.0 / 3) / 3)]
    [InlineData("recall", Averaging.Macro, (1 + 0.5 + 1) / 3)]
    [InlineData("f1", Averaging.Macro, (1 + 2.0 / 3 + 0.8) / 3)]
    [InlineData("precision", Averaging.Micro, 0.8)]
    [InlineData("recall", Averaging.Micro, 0.8)]
    [InlineData("f1", Averaging.Micro, 0.8)]
    public void Precision_recall_and_F1(string score, Averaging averaging, double expected)
    {
        using var scope = torch.NewDisposeScope();
        IMetric<double> metric = score switch
        {
            "precision" => new Precision(3, averaging),
            "recall" => new Recall(3, averaging),
            _ => new F1(3, averaging),
        };
        switch (metric)
        {
            case Precision p: p.Update(Longs(Predicted), Longs(Targets)); break;
            case Recall r: r.Update(Longs(Predicted), Longs(Targets)); break;
            case F1 f: f.Update(Longs(Predicted), Longs(Targets)); break;
        }
        Assert.Equal(expected, metric.Compute(), 12);
        ((IDisposable)metric).Dispose();
    }

    [Fact]
    public void A_class_never_predicted_scores_zero_precision()
    {
        using var scope = torch.NewDisposeScope();
        using var precision = new Precision(2);
        precision.Update(Longs(0, 0), Longs(0, 1));     // class 0: 1/2; class 1: never predicted -> 0
        Assert.Equal(0.25, precision.Compute(), 12);
    }

    [Fact]
    public void Accumulators_survive_the_update_scope()
    {
        using var mean = new Mean();
        for (var i = 1; i <= 3; i++)
        {
            using var iteration = torch.NewDisposeScope();
            mean.Update(Floats(i));
        }
        Assert.Equal(2, mean.Compute(), 12);
    }
}
