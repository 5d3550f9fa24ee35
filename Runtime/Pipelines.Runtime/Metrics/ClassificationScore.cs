using Pipelines.Checkpoints;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>
/// What <see cref="Precision"/>, <see cref="Recall"/> and <see cref="F1"/> share: counts that
/// accumulate on the device in a <see cref="ConfusionMatrix"/>, and a per-class score from the
/// true positives, false positives and false negatives, averaged (macro) or pooled (micro); a ratio
/// with no denominator is 0, as scikit-learn's <c>zero_division=0</c>. The counts travel in
/// checkpoints as <see cref="ConfusionMatrix"/> saves them, so that a checkpoint written in the
/// middle of an epoch resumes the score exactly.
/// </summary>
public abstract class ClassificationScore : IMetric<double>, ICheckpointState, IDisposable
{
    readonly ConfusionMatrix matrix;

    private protected ClassificationScore(int numClasses, Averaging averaging)
    {
        matrix = new ConfusionMatrix(numClasses);
        Averaging = averaging;
    }

    /// <summary>How the per-class scores are combined.</summary>
    public Averaging Averaging { get; }

    /// <summary>Accumulates a batch, as <see cref="ConfusionMatrix.Update"/>.</summary>
    public void Update(Tensor scores, Tensor targets) => matrix.Update(scores, targets);

    /// <inheritdoc />
    public void Reset() => matrix.Reset();

    /// <inheritdoc />
    public double Compute()
    {
        var m = matrix.Compute();
        var n = m.GetLength(0);
        double sumTp = 0, sumFp = 0, sumFn = 0, macro = 0;
        for (var c = 0; c < n; c++)
        {
            double tp = m[c, c], fp = 0, fn = 0;
            for (var k = 0; k < n; k++)
            {
                if (k == c)
                    continue;
                fp += m[k, c];
                fn += m[c, k];
            }
            macro += Score(tp, fp, fn);
            sumTp += tp;
            sumFp += fp;
            sumFn += fn;
        }
        return Averaging == Averaging.Macro ? macro / n : Score(sumTp, sumFp, sumFn);
    }

    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer) => matrix.SaveState(writer);

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader) => matrix.ValidateState(reader);

    /// <inheritdoc />
    public void LoadState(CheckpointStateReader reader) => matrix.LoadState(reader);

    /// <summary>Frees the device accumulators.</summary>
    public void Dispose() => matrix.Dispose();

    /// <summary>The score of one class (or of the pooled counts) from its true positives, false positives and false negatives.</summary>
    private protected abstract double Score(double tp, double fp, double fn);

    /// <summary><paramref name="numerator"/> over <paramref name="denominator"/>, or 0 when the denominator is 0.</summary>
    private protected static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;
}
