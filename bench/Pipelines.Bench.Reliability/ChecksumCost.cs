using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using FashionMnistSample;
using Pipelines.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Bench.Reliability;

/// <summary>
/// What the checksums cost on the sample's checkpoint (its CNN, AdamW with state, the generator):
/// in alternating rounds, <see cref="Checkpoint.Save"/> (which hashes every tensor before writing),
/// <see cref="Checkpoint.Load"/> (which hashes every tensor after reading) and the hashing alone
/// (SHA-256 over the same tensors' bytes, what each of them adds); medians.
/// </summary>
internal static class ChecksumCost
{
    public static int Run(int rounds)
    {
        torch.set_num_threads(1);
        torch.manual_seed(42);
        using var model = FashionMnistClassifier.CreateModel(0.1);
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 0.002, weight_decay: 1e-4);
        using (var scope = torch.NewDisposeScope())
        {
            var loss = functional.cross_entropy(model.call(torch.randn(8, 1, 28, 28)), torch.randint(0, 10, [8]));
            loss.backward();
            optimizer.step();
        }
        var contents = new CheckpointContents();
        contents.Models.Add("model", model);
        contents.Optimizers.Add("optimizer", optimizer);
        var directory = Directory.CreateTempSubdirectory("pipelines-checksums-").FullName;
        var path = Path.Combine(directory, "last.ckpt");
        try
        {
            Checkpoint.Save(path, contents);
            long tensorBytes;
            using (var checkpoint = Checkpoint.Load(path))
                tensorBytes = checkpoint.Tensors.Values.Sum(t => t.NumberOfElements * t.ElementSize);
            var save = new List<double>();
            var load = new List<double>();
            var hash = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                save.Add(Time(() => Checkpoint.Save(path, contents)));
                using var checkpoint = Checkpoint.Load(path);
                load.Add(Time(() => Checkpoint.Load(path).Dispose()));
                hash.Add(Time(() =>
                {
                    foreach (var tensor in checkpoint.Tensors.Values)
                        SHA256.HashData(tensor.bytes);
                }));
            }
            var (saveMs, loadMs, hashMs) = (Median(save), Median(load), Median(hash));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"the sample's checkpoint: {new FileInfo(path).Length / 1048576.0:F2} MiB ({tensorBytes} tensor bytes), {rounds} rounds, medians:"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Checkpoint.Save  {saveMs,7:F2} ms (with fsync of the file and the directory)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Checkpoint.Load  {loadMs,7:F2} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  SHA-256 of every tensor {hashMs,7:F2} ms = {tensorBytes / 1048576.0 / (hashMs / 1000):F0} MiB/s: {100 * hashMs / saveMs:F0}% of Save, {100 * hashMs / loadMs:F0}% of Load"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT save_ms={saveMs:F2} load_ms={loadMs:F2} hash_ms={hashMs:F2}"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
