using Pipelines.Handlers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Checkpoints.KillChild;

/// <summary>A component whose saved tensor grows with each checkpoint, so that the files outgrow a small file system.</summary>
internal sealed class GrowingState : ICheckpointState, IDisposable
{
    Tensor history = torch.zeros(0);

    public int Saves { get; private set; }

    /// <summary>Sets the number of saves and a history of 64 Ki floats per save.</summary>
    public void Grow(int saves)
    {
        Saves = saves;
        history.Dispose();
        history = torch.full(saves * 64 * 1024, (float)saves);
    }

    public void SaveState(CheckpointStateWriter writer)
    {
        writer.Json.WriteNumber("saves", Saves);
        writer.AddTensor("history", history);
    }

    public void ValidateState(CheckpointStateReader reader) => reader.GetInt32("saves");

    public void LoadState(CheckpointStateReader reader) => Grow(reader.GetInt32("saves"));

    public void Dispose() => history.Dispose();
}

/// <summary>
/// "fill" mode: writes ever larger checkpoints through <see cref="BestCheckpoints"/> (a new best
/// file and last.ckpt each time; every parameter of checkpoint i holds i) until a write fails,
/// then prints "failed i: message" and exits 0. "saved i" follows each write that succeeded.
/// </summary>
internal static class FillChild
{
    public static int Run(string directory)
    {
        using var model = Sequential(Linear(64, 64));
        var best = new BestCheckpoints(new Pipelines.Metrics.MetricKey(0, "val/score"), MonitorMode.Max, keep: 2, directory: directory);
        using var growing = new GrowingState();
        var contents = new CheckpointContents();
        contents.Models.Add("model", model);
        contents.States.Add("best", best);
        contents.States.Add("growing", growing);
        for (var i = 1; i <= 10_000; i++)
        {
            using (torch.no_grad())
                foreach (var p in model.parameters())
                    p.fill_(i);
            growing.Grow(i);
            contents.Counters = new CheckpointCounters(i, i, 0, i);
            try
            {
                best.Save(contents, i, i);
            }
            catch (IOException e)
            {
                Console.WriteLine($"failed {i}: {e.Message}");
                return 0;
            }
            Console.WriteLine($"saved {i}");
        }
        Console.Error.WriteLine("no write failed: the file system did not fill");
        return 1;
    }
}
