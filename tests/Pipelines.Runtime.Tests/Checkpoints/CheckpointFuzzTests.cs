using System.Buffers.Binary;
using System.Text;
using Pipelines.Checkpoints;
using Pipelines.Serialization;
using static Pipelines.Runtime.Tests.Checkpoints.CheckpointFixtures;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// Mutated checkpoints (flipped bytes, truncations, bad headers, absurd lengths, edited JSON) fed to
/// Load + Restore: every case must end in a <see cref="CheckpointException"/> or a correct load,
/// never another exception, a crash or a hang.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class CheckpointFuzzTests
{
    const int Cases = 500;
    const int Seed = 20240606;

    [Fact]
    public async Task Mutated_checkpoints_fail_cleanly_or_load()
    {
        // A hang fails the test (TimeoutException) instead of stalling the run.
        var (loaded, rejected) = await Task.Run(Fuzz).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(Cases, loaded + rejected);
        Assert.True(rejected > Cases / 2, $"only {rejected} of {Cases} mutations were rejected: the mutations are too gentle to test anything");
    }

    static optim.Optimizer MakeOptimizer(string kind, IEnumerable<TorchSharp.Modules.Parameter> parameters) => kind switch
    {
        "sgd_momentum" => optim.SGD(parameters, 0.05, momentum: 0.9),
        "adam" => optim.Adam(parameters, 0.01, amsgrad: true),
        "rmsprop" => optim.RMSProp(parameters, 0.01, momentum: 0.5, centered: true),
        "adagrad" => optim.Adagrad(parameters, 0.05),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// TorchSharp's optimizer state stream (counts, lengths, shapes and tensor bytes in sequence)
    /// overwritten with absurd values at every fourth offset: the restore either loads (the bytes
    /// were tensor values) or ends in a CheckpointException with the optimizer as it was.
    /// </summary>
    [Theory]
    [InlineData("sgd_momentum")]
    [InlineData("adam")]
    [InlineData("rmsprop")]
    [InlineData("adagrad")]
    public async Task A_corrupt_optimizer_state_stream_fails_cleanly_or_loads(string kind)
    {
        var rejected = await Task.Run(() => FuzzOptimizerState(kind)).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(rejected > 0, "no corruption was rejected: the stream was not reached");
    }

    static int FuzzOptimizerState(string kind)
    {
        using var dir = new TempDirectory();
        var good = dir.File("good.ckpt");
        using (var model = Mlp(1))
        using (var optimizer = MakeOptimizer(kind, model.parameters()))
        {
            Train(model, optimizer, 2, seed: 2);
            Checkpoint.Save(good, Contents(model, optimizer));
        }
        var tensors = Safetensors.Load(good, out var metadata);
        var key = "optimizer.adam.torchsharp_state";
        var stream = tensors[key].bytes.ToArray();
        var rejected = 0;
        var file = dir.File("case.ckpt");
        uint[] absurd = [0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x00010000];
        try
        {
            for (var offset = 0; offset + 4 <= stream.Length; offset += 4)
            {
                var corrupt = (byte[])stream.Clone();
                BinaryPrimitives.WriteUInt32LittleEndian(corrupt.AsSpan(offset), absurd[offset / 4 % absurd.Length]);
                tensors[key].Dispose();
                tensors[key] = tensor(corrupt);
                // Signed again: a crafted file whose checksums fit, so that the stream parser is what is tested.
                CheckpointChecksums.Sign(tensors, metadata);
                Safetensors.Save(tensors, file, metadata);

                using var target = Mlp(5);
                using var optimizer = MakeOptimizer(kind, target.parameters());
                Train(target, optimizer, 1, seed: 3);
                var before = Snapshot(optimizer);
                try
                {
                    using (var checkpoint = Checkpoint.Load(file))
                        checkpoint.Restore(Contents(target, optimizer));
                    // What loads must fit the parameters: the next step runs (its values may be any).
                    Train(target, optimizer, 1, seed: 4);
                }
                catch (CheckpointException e)
                {
                    Assert.True(e.Message.Contains(file, StringComparison.Ordinal), $"offset {offset}: the error does not name the file: {e.Message}");
                    Assert.True(before.AsSpan().SequenceEqual(Snapshot(optimizer)), $"offset {offset}: the optimizer was changed by a failed restore");
                    rejected++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"offset {offset}: {e.GetType().Name} instead of a CheckpointException: {e}");
                }
            }
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
        return rejected;
    }

    static (int Loaded, int Rejected) Fuzz()
    {
        using var dir = new TempDirectory();
        var good = dir.File("good.ckpt");
        using (var model = Mlp(1))
        using (var adam = torch.optim.Adam(model.parameters(), 0.01))
        {
            Train(model, adam, 1, seed: 2);
            var contents = Contents(model, adam);
            contents.States.Add("stop", new CounterState { Best = 0.5, Patience = 1 });
            contents.Hyperparameters.Set("LearningRate", 0.01);
            contents.Counters = new CheckpointCounters(3, 40, 10, 40);
            Checkpoint.Save(good, contents);
        }
        var original = File.ReadAllBytes(good);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        var random = new Random(Seed);
        var file = dir.File("case.ckpt");
        int loaded = 0, rejected = 0;
        for (var i = 0; i < Cases; i++)
        {
            var (bytes, what) = Mutate(original, headerLength, random);
            File.WriteAllBytes(file, bytes);
            using var target = Mlp(5);
            using var optimizer = torch.optim.Adam(target.parameters(), 0.3);
            var contents = Contents(target, optimizer);
            contents.States.Add("stop", new CounterState());
            try
            {
                using var checkpoint = Checkpoint.Load(file);
                checkpoint.Restore(contents);
                loaded++;
            }
            catch (CheckpointException e)
            {
                Assert.True(e.Message.Contains(file, StringComparison.Ordinal), $"case {i} ({what}): the error does not name the file: {e.Message}");
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({what}): {e.GetType().Name} instead of a CheckpointException: {e}");
            }
        }
        return (loaded, rejected);
    }

    static (byte[] Bytes, string What) Mutate(byte[] original, int headerLength, Random random)
    {
        var bytes = (byte[])original.Clone();
        var headerEnd = 8 + headerLength;
        switch (random.Next(9))
        {
            case 0:
                {
                    var n = random.Next(1, 9);
                    for (var k = 0; k < n; k++)
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    return (bytes, $"{n} bit flip(s) anywhere");
                }
            case 1:
                {
                    var n = random.Next(1, 5);
                    for (var k = 0; k < n; k++)
                        bytes[8 + random.Next(headerLength)] = (byte)random.Next(256);
                    return (bytes, $"{n} random byte(s) in the header");
                }
            case 2:
                {
                    var length = random.Next(bytes.Length);
                    return (bytes[..length], $"truncated to {length} bytes");
                }
            case 3:
                {
                    ulong[] absurd = [0, 1, 7, (ulong)headerLength - 1, (ulong)headerLength + 1, (ulong)bytes.Length, ulong.MaxValue, long.MaxValue, 100_000_001, (ulong)random.NextInt64()];
                    var value = absurd[random.Next(absurd.Length)];
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
                    return (bytes, $"header length {value}");
                }
            case 4:
                {
                    // Replace one number inside the JSON header by an absurd one (shapes, offsets, counters, lr).
                    var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
                    var digits = Enumerable.Range(0, header.Length).Where(j => char.IsAsciiDigit(header[j]) && (j == 0 || !char.IsAsciiDigit(header[j - 1]))).ToArray();
                    var at = digits[random.Next(digits.Length)];
                    var end = at;
                    while (end < header.Length && char.IsAsciiDigit(header[end]))
                        end++;
                    string[] replacements = ["-1", "0", "99999999999999999999", "9223372036854775807", "1e308", "4294967296", "2147483648", "1.5"];
                    var replacement = replacements[random.Next(replacements.Length)];
                    return (WithHeader(bytes, headerEnd, header[..at] + replacement + header[end..]), $"number at {at} -> {replacement}");
                }
            case 5:
                {
                    // Delete or duplicate a slice of the header text.
                    var header = Encoding.UTF8.GetString(bytes, 8, headerLength);
                    var at = random.Next(header.Length);
                    var length = random.Next(1, Math.Min(40, header.Length - at) + 1);
                    var edited = random.Next(2) == 0 ? header.Remove(at, length) : header.Insert(at, header.Substring(at, length));
                    return (WithHeader(bytes, headerEnd, edited), $"header slice {at}+{length} cut or doubled");
                }
            case 6:
                {
                    string[] junk = ["", "[]", "null", "{", "{\"a\":", "{\"__metadata__\": 5}", "{\"__metadata__\": {\"pipelines.checkpoint\": \"{}\"}}",
                    "{\"__metadata__\": {\"pipelines.checkpoint\": \"[1,2]\"}}", "{\"x\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"x\": {}}",
                    new string('[', 5000), "\"" + new string('a', 100) + "\""];
                    var text = junk[random.Next(junk.Length)];
                    return (WithHeader(bytes, headerEnd, text), $"header replaced by {(text.Length > 30 ? text[..30] + "..." : text)}");
                }
            case 7:
                {
                    var extra = new byte[random.Next(1, 64)];
                    random.NextBytes(extra);
                    return ([.. bytes, .. extra], $"{extra.Length} garbage bytes appended");
                }
            default:
                {
                    // Swap two bytes of the data section (values change, structure stays: often a correct load).
                    var a = headerEnd + random.Next(bytes.Length - headerEnd);
                    var b = headerEnd + random.Next(bytes.Length - headerEnd);
                    (bytes[a], bytes[b]) = (bytes[b], bytes[a]);
                    return (bytes, $"data bytes {a} and {b} swapped");
                }
        }
    }

    static byte[] WithHeader(byte[] bytes, int headerEnd, string header)
    {
        var text = Encoding.UTF8.GetBytes(header);
        var result = new byte[8 + text.Length + (bytes.Length - headerEnd)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)text.Length);
        text.CopyTo(result, 8);
        bytes.AsSpan(headerEnd).CopyTo(result.AsSpan(8 + text.Length));
        return result;
    }
}
