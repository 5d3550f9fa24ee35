using Pipelines.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// The ingredients of an exact resume, in a hand-written loop (Linear + dropout + an optimizer over
/// a shuffling TensorDataLoader): stopped at an epoch boundary or mid-epoch, saved, restored into
/// fresh objects built from another seed, and continued, the run ends with bitwise the same
/// parameters and the same loss trajectory as the run that never stopped. Every optimizer whose
/// state TorchSharp keeps differently (momentum buffers, moments, step counts, sums of squares)
/// is resumed this way.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class ExactResumeTests
{
    const int Epochs = 3;

    /// <summary>One training "process": model, optimizer, data; everything a checkpoint must restore.</summary>
    sealed class Training : IDisposable
    {
        readonly Tensor inputs;
        readonly Tensor targets;
        readonly TensorDataLoader loader;

        public Training(long initSeed, string optimizer = "adam")
        {
            torch.manual_seed(1234);
            inputs = torch.randn(60, 4);
            using (var w = torch.randn(4, 1))
                targets = inputs.matmul(w) + 0.1 * torch.randn(60, 1);
            torch.manual_seed(initSeed);
            Model = Sequential(Linear(4, 16), ReLU(), Dropout(0.2), Linear(16, 1));
            Optimizer = MakeOptimizer(optimizer, Model.parameters());
            loader = new TensorDataLoader(inputs, targets, 8, shuffle: true, seed: 7);
            Source = new ResumableBatchSource<Batch>(loader);
            Contents = new CheckpointContents();
            Contents.Models.Add("model", Model);
            Contents.Optimizers.Add("optimizer", Optimizer);
            Contents.States.Add("train_data", Source);
        }

        public Sequential Model { get; }

        public optim.Optimizer Optimizer { get; }

        public ResumableBatchSource<Batch> Source { get; }

        public CheckpointContents Contents { get; }

        public List<float> Losses { get; } = [];

        public void Iterate(int index)
        {
            using var scope = torch.NewDisposeScope();
            var batch = Source.GetBatch(index);
            var loss = functional.mse_loss(Model.call(batch.Input), batch.Target);
            Optimizer.zero_grad();
            loss.backward();
            Optimizer.step();
            Losses.Add(loss.item<float>());
        }

        public void Dispose()
        {
            loader.Dispose();
            Optimizer.Dispose();
            Model.Dispose();
            inputs.Dispose();
            targets.Dispose();
        }
    }

    /// <summary>Each with momentum or another per-parameter state, so that a lost state changes the next steps.</summary>
    static optim.Optimizer MakeOptimizer(string name, IEnumerable<Parameter> parameters) => name switch
    {
        "sgd_momentum" => optim.SGD(parameters, 0.05, momentum: 0.9),
        "adam" => optim.Adam(parameters, 0.01),
        "adamw" => optim.AdamW(parameters, 0.01, weight_decay: 0.05),
        "rmsprop" => optim.RMSProp(parameters, 0.01, momentum: 0.5),
        "adagrad" => optim.Adagrad(parameters, 0.05),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    static (Dictionary<string, float[]> Parameters, List<float> Losses) Uninterrupted(string optimizer = "adam")
    {
        using var training = new Training(initSeed: 1, optimizer);
        training.Model.train();
        for (var epoch = 1; epoch <= Epochs; epoch++)
        {
            training.Source.StartPass();
            for (var i = 0; i < training.Source.Count; i++)
                training.Iterate(i);
        }
        return (CheckpointFixtures.Snapshot(training.Model), training.Losses);
    }

    /// <summary>Trains up to (stopEpoch, stopIteration), saves, drops everything, restores into fresh objects and finishes.</summary>
    static (Dictionary<string, float[]> Parameters, List<float> Losses) Interrupted(string path, int stopEpoch, int stopIteration,
        string optimizer = "adam", bool withOptimizerState = true)
    {
        var losses = new List<float>();
        using (var first = new Training(initSeed: 1, optimizer))
        {
            var iteration = 0;
            for (var epoch = 1; epoch <= stopEpoch; epoch++)
            {
                first.Source.StartPass();
                var last = epoch == stopEpoch && stopIteration > 0 ? stopIteration : first.Source.Count;
                for (var i = 0; i < last; i++, iteration++)
                    first.Iterate(i);
            }
            var epochCompleted = stopIteration == 0;
            first.Contents.Counters = new CheckpointCounters(stopEpoch, iteration, epochCompleted ? 0 : stopIteration, iteration);
            if (!withOptimizerState)
                first.Contents.Optimizers.Clear();
            Checkpoint.Save(path, first.Contents);
            losses.AddRange(first.Losses);
            // Draws after the save must not leak into the resumed run.
            torch.rand(99).Dispose();
        }

        using var second = new Training(initSeed: 999, optimizer);
        if (!withOptimizerState)
            second.Contents.Optimizers.Clear();
        CheckpointCounters counters;
        using (var checkpoint = Checkpoint.Load(path))
        {
            checkpoint.Restore(second.Contents);
            counters = checkpoint.Counters;
        }
        Assert.Equal(counters.Epoch, second.Source.Passes);
        var startEpoch = counters.Epoch;
        if (counters.IsMidEpoch)
        {
            // The resumed epoch continues its pass: no StartPass, the next batch index is EpochIteration.
            Assert.Equal(counters.EpochIteration, second.Source.Position);
            for (var i = counters.EpochIteration; i < second.Source.Count; i++)
                second.Iterate(i);
        }
        for (var epoch = startEpoch + 1; epoch <= Epochs; epoch++)
        {
            second.Source.StartPass();
            for (var i = 0; i < second.Source.Count; i++)
                second.Iterate(i);
        }
        losses.AddRange(second.Losses);
        return (CheckpointFixtures.Snapshot(second.Model), losses);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(2, 3)]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    public void Resuming_gives_bitwise_the_uninterrupted_parameters_and_losses(int stopEpoch, int stopIteration)
    {
        using var dir = new TempDirectory();
        var (expected, expectedLosses) = Uninterrupted();
        var (actual, actualLosses) = Interrupted(dir.File("resume.ckpt"), stopEpoch, stopIteration);
        CheckpointFixtures.AssertSame(expected, actual);
        AssertSameLosses(expectedLosses, actualLosses);
    }

    [Theory]
    [InlineData("sgd_momentum")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("rmsprop")]
    [InlineData("adagrad")]
    public void Each_optimizer_resumes_bitwise_from_its_saved_state(string optimizer)
    {
        using var dir = new TempDirectory();
        var (expected, expectedLosses) = Uninterrupted(optimizer);
        var perEpoch = expectedLosses.Count / Epochs;
        var (firstEpoch, lastEpoch) = (expectedLosses.Take(perEpoch).Average(), expectedLosses.TakeLast(perEpoch).Average());
        Assert.True(lastEpoch < firstEpoch, $"{optimizer} does not train: mean loss {firstEpoch} in the first epoch, {lastEpoch} in the last");
        var (actual, actualLosses) = Interrupted(dir.File("resume.ckpt"), 2, 3, optimizer);
        CheckpointFixtures.AssertSame(expected, actual);
        AssertSameLosses(expectedLosses, actualLosses);

        // The teeth: the same resume with a fresh optimizer state ends elsewhere.
        var (fresh, _) = Interrupted(dir.File("without-state.ckpt"), 2, 3, optimizer, withOptimizerState: false);
        Assert.Contains(expected.Keys, key => !expected[key].AsSpan().SequenceEqual(fresh[key]));
    }

    static void AssertSameLosses(List<float> expected, List<float> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"loss {i}: {expected[i]:R} uninterrupted, {actual[i]:R} resumed");
    }

    [Fact]
    public void Without_the_random_state_dropout_diverges_so_the_test_above_has_teeth()
    {
        using var dir = new TempDirectory();
        var (expected, _) = Uninterrupted();
        var path = dir.File("resume.ckpt");
        using (var first = new Training(initSeed: 1))
        {
            first.Contents.IncludeRandomState = false;
            first.Source.StartPass();
            for (var i = 0; i < first.Source.Count; i++)
                first.Iterate(i);
            first.Contents.Counters = new CheckpointCounters(1, first.Source.Count, 0, first.Source.Count);
            Checkpoint.Save(path, first.Contents);
        }
        using var second = new Training(initSeed: 999);
        using (var checkpoint = Checkpoint.Load(path))
        {
            Assert.False(checkpoint.HasRandomState);
            checkpoint.Restore(second.Contents);
        }
        for (var epoch = 2; epoch <= Epochs; epoch++)
        {
            second.Source.StartPass();
            for (var i = 0; i < second.Source.Count; i++)
                second.Iterate(i);
        }
        var actual = CheckpointFixtures.Snapshot(second.Model);
        Assert.Contains(expected.Keys, key => !expected[key].AsSpan().SequenceEqual(actual[key]));
    }

    [Fact]
    public void A_source_with_another_batch_count_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.ckpt");
        using (var first = new Training(initSeed: 1))
        {
            first.Source.StartPass();
            Checkpoint.Save(path, first.Contents);
        }
        using var other = new Training(initSeed: 1);
        using var x = torch.zeros(10, 4);
        using var y = torch.zeros(10, 1);
        using var smaller = new TensorDataLoader(x, y, 8);
        other.Contents.States["train_data"] = new ResumableBatchSource<Batch>(smaller);
        using var checkpoint = Checkpoint.Load(path);
        var error = Assert.Throws<CheckpointException>(() => checkpoint.Restore(other.Contents));
        Assert.Equal("states.train_data.count", error.Key);
    }
}
