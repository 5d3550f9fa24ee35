using Pipelines.Checkpoints;
using Pipelines.Metrics;
using static Pipelines.Runtime.Tests.Checkpoints.CheckpointFixtures;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// The classification and regression metrics through a real checkpoint: half the data, save,
/// restore into a fresh metric, the other half. The result is the one-pass value, worked out by
/// hand in the comments (every number is exact in binary, so the asserts are exact).
/// </summary>
public sealed class MetricStateTests
{
    // Eight examples over three classes as (target, predicted), in two halves:
    //   (0, 0) (1, 2) (2, 2) (2, 1) | (1, 1) (0, 0) (2, 0) (1, 1)
    // Confusion matrix (row = target, column = predicted), first half / both halves:
    //   [1 0 0]   [2 0 0]
    //   [0 0 1]   [0 2 1]
    //   [0 1 1]   [1 1 1]
    // Both halves, per class tp / fp / fn: class 0: 2 / 1 / 0, class 1: 2 / 1 / 1, class 2: 1 / 1 / 2; pooled 5 / 3 / 3.
    static readonly long[] Targets = [0, 1, 2, 2, 1, 0, 2, 1];
    static readonly long[] Predicted = [0, 2, 2, 1, 1, 0, 0, 1];
    static readonly long[,] FirstHalf = { { 1, 0, 0 }, { 0, 0, 1 }, { 0, 1, 1 } };
    static readonly long[,] BothHalves = { { 2, 0, 0 }, { 0, 2, 1 }, { 1, 1, 1 } };

    /// <summary>Feeds half <paramref name="half"/> (0 or 1) as scores [4, 3] whose arg-max is the predicted class.</summary>
    static void UpdateHalf(Action<Tensor, Tensor> update, int half)
    {
        using var scope = torch.NewDisposeScope();
        var scores = new float[4, 3];
        var targets = new long[4];
        for (var i = 0; i < 4; i++)
        {
            scores[i, Predicted[4 * half + i]] = 1;
            targets[i] = Targets[4 * half + i];
        }
        update(torch.from_array(scores), torch.tensor(targets));
    }

    // Predictions against targets, [2, 2] per half:
    //   half 0: [0.5, 2, -1, 3] - [1, 2, 1, 0]   = -0.5, 0, -2, 3
    //   half 1: [1, 1, 1, 1]    - [2, 0, 1, 4.5] = -1, 1, 0, -3.5
    // MSE = (0.25 + 0 + 4 + 9 + 1 + 1 + 0 + 12.25) / 8 = 27.5 / 8 = 3.4375
    // MAE = (0.5 + 0 + 2 + 3 + 1 + 1 + 0 + 3.5) / 8 = 11 / 8 = 1.375
    static readonly float[][] Predictions = [[0.5f, 2, -1, 3], [1, 1, 1, 1]];
    static readonly float[][] Observed = [[1, 2, 1, 0], [2, 0, 1, 4.5f]];

    static void UpdateRegressionHalf(Action<Tensor, Tensor> update, int half)
    {
        using var scope = torch.NewDisposeScope();
        update(torch.tensor(Predictions[half], [2, 2]), torch.tensor(Observed[half], [2, 2]));
    }

    /// <summary>Half the data into <paramref name="first"/>, a checkpoint round trip into <paramref name="resumed"/>, the other half into it.</summary>
    static void ResumeHalfway<T>(T first, T resumed, Action<T, int> updateHalf) where T : ICheckpointState
    {
        updateHalf(first, 0);
        RoundTrip(first, resumed);
        updateHalf(resumed, 1);
    }

    [Fact]
    public void ConfusionMatrix_resumed_halfway_holds_the_one_pass_counts()
    {
        using var first = new ConfusionMatrix(3);
        using var resumed = new ConfusionMatrix(3);
        UpdateHalf(first.Update, 0);
        RoundTrip(first, resumed);
        Assert.Equal(FirstHalf, resumed.Compute());     // readable before any new update
        UpdateHalf(resumed.Update, 1);
        Assert.Equal(BothHalves, resumed.Compute());
    }

    [Fact]
    public void Precision_recall_and_F1_resumed_halfway_equal_the_one_pass_scores()
    {
        using var precision = new Precision(3);
        using var recall = new Recall(3, Averaging.Micro);
        using var f1 = new F1(3);
        using var precision2 = new Precision(3);
        using var recall2 = new Recall(3, Averaging.Micro);
        using var f12 = new F1(3);
        ResumeHalfway(precision, precision2, (m, half) => UpdateHalf(m.Update, half));
        ResumeHalfway(recall, recall2, (m, half) => UpdateHalf(m.Update, half));
        ResumeHalfway(f1, f12, (m, half) => UpdateHalf(m.Update, half));

        Assert.Equal(11.0 / 18, precision2.Compute(), 15);  // macro: (2/3 + 2/3 + 1/2) / 3
        Assert.Equal(5.0 / 8, recall2.Compute(), 15);       // micro: 5 / (5 + 3)
        Assert.Equal(28.0 / 45, f12.Compute(), 15);         // macro: (4/5 + 4/6 + 2/5) / 3

        using var onePass = new F1(3);
        UpdateHalf(onePass.Update, 0);
        UpdateHalf(onePass.Update, 1);
        Assert.Equal(onePass.Compute(), f12.Compute());
    }

    [Fact]
    public void Regression_errors_resumed_halfway_equal_the_one_pass_values()
    {
        using var mse = new MeanSquaredError();
        using var mae = new MeanAbsoluteError();
        using var mse2 = new MeanSquaredError();
        using var mae2 = new MeanAbsoluteError();
        ResumeHalfway(mse, mse2, (m, half) => UpdateRegressionHalf(m.Update, half));
        ResumeHalfway(mae, mae2, (m, half) => UpdateRegressionHalf(m.Update, half));
        Assert.Equal(3.4375, mse2.Compute());
        Assert.Equal(1.375, mae2.Compute());
    }

    [Fact]
    public void A_metric_saved_before_any_update_restores_empty()
    {
        using var empty = new Precision(3);
        using var restored = new Precision(3);
        UpdateHalf(restored.Update, 0);
        RoundTrip(empty, restored);
        Assert.Throws<InvalidOperationException>(() => restored.Compute());
        using var emptyError = new MeanSquaredError();
        using var restoredError = new MeanSquaredError();
        UpdateRegressionHalf(restoredError.Update, 0);
        RoundTrip(emptyError, restoredError);
        Assert.Throws<InvalidOperationException>(() => restoredError.Compute());
    }

    /// <summary>A component that saves whatever the test writes, to restore into a metric.</summary>
    sealed class RawState(Action<CheckpointStateWriter> save) : ICheckpointState
    {
        public void SaveState(CheckpointStateWriter writer) => save(writer);

        public void ValidateState(CheckpointStateReader reader) { }

        public void LoadState(CheckpointStateReader reader) { }
    }

    static string RestoreError(ICheckpointState into, Action<CheckpointStateWriter> save) =>
        Assert.Throws<CheckpointException>(() => RoundTrip(new RawState(save), into)).Message;

    static Action<CheckpointStateWriter> Matrix(long numClasses, Tensor counts) => writer =>
    {
        writer.Json.WriteNumber("num_classes", numClasses);
        writer.AddTensor("counts", counts);
    };

    [Fact]
    public void A_saved_state_that_does_not_fit_is_refused_naming_the_key_and_nothing_changes()
    {
        using var matrix = new ConfusionMatrix(3);
        using var recall = new Recall(3);
        using var mse = new MeanSquaredError();
        UpdateHalf(matrix.Update, 0);
        UpdateRegressionHalf(mse.Update, 0);
        using var counts = torch.zeros([3, 3], ScalarType.Float64);
        using var float32 = torch.zeros(3, 3);
        using var fourClasses = torch.zeros([4, 4], ScalarType.Float64);
        using var half = torch.full([3, 3], 0.5, ScalarType.Float64);

        Assert.Contains("'states.c.num_classes': missing.", RestoreError(matrix, _ => { }), StringComparison.Ordinal);
        Assert.Contains("'states.c.num_classes': the saved matrix counts 4 classes, this one 3.", RestoreError(matrix, Matrix(4, fourClasses)), StringComparison.Ordinal);
        Assert.Contains("'states.c.counts': dtype mismatch: the checkpoint has Float32, expected Float64.", RestoreError(matrix, Matrix(3, float32)), StringComparison.Ordinal);
        Assert.Contains("'states.c.counts': shape mismatch: the checkpoint has [4, 4], expected [3, 3].", RestoreError(recall, Matrix(3, fourClasses)), StringComparison.Ordinal);
        Assert.Contains("'states.c.counts': holds 0.5; a count is a non-negative whole number.", RestoreError(recall, Matrix(3, half)), StringComparison.Ordinal);
        Assert.Contains("'states.c.count': missing.", RestoreError(mse, _ => { }), StringComparison.Ordinal);
        Assert.Contains("'states.c.count': cannot be negative.", RestoreError(mse, w => w.Json.WriteNumber("count", -4)), StringComparison.Ordinal);
        Assert.Contains("'states.c.sum': expected a number, found \"many\".", RestoreError(mse, w =>
        {
            w.Json.WriteNumber("count", 4);
            w.Json.WriteString("sum", "many");
        }), StringComparison.Ordinal);

        Assert.Equal(FirstHalf, matrix.Compute());
        Assert.Equal(13.25 / 4, mse.Compute());   // half 0 only: (0.25 + 0 + 4 + 9) / 4
        RoundTrip(new RawState(Matrix(3, counts)), matrix);
        Assert.Equal(new long[3, 3], matrix.Compute());
    }
}
