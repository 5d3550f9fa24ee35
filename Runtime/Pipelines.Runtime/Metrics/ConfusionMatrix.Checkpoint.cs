using Pipelines.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Metrics;

/// <summary>
/// Checkpoint support: the number of classes and, once there was an update, the counts (a float64
/// [C, C] tensor under <c>counts</c>), so that a checkpoint written in the middle of an epoch resumes
/// the matrix exactly. Restored counts wait on the host until the next <see cref="Update"/> adds them
/// to that batch's counts on the device; whole numbers add exactly in any order. <see cref="Precision"/>,
/// <see cref="Recall"/> and <see cref="F1"/> save their matrix this way. The generated <c>Fit</c>
/// registers every [Metric] its [TrainingStep] updates.
/// </summary>
public sealed partial class ConfusionMatrix : ICheckpointState
{
    /// <inheritdoc />
    public void SaveState(CheckpointStateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Json.WriteNumber("num_classes", NumClasses);
        if ((counts ?? restored) is { } accumulated)
            writer.AddTensor("counts", accumulated);
    }

    /// <inheritdoc />
    public void ValidateState(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var numClasses = reader.GetInt64("num_classes");
        if (numClasses != NumClasses)
            throw reader.Error("num_classes", $"the saved matrix counts {numClasses} classes, this one {NumClasses}.");
        if (!reader.Tensors.ContainsKey("counts"))
            return;
        var saved = reader.GetTensor("counts", ScalarType.Float64, [NumClasses, NumClasses]);
        foreach (var count in saved.data<double>().ToArray())
            if (!(count >= 0 && double.IsFinite(count) && Math.Floor(count) == count))
                throw reader.Error("counts", $"holds {count}; a count is a non-negative whole number.");
    }

    /// <inheritdoc />
    public void LoadState(CheckpointStateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Reset();
        if (!reader.Tensors.TryGetValue("counts", out var saved))
            return;
        using var scope = torch.NewDisposeScope();
        restored = scope.Detach(saved.clone());
    }
}
