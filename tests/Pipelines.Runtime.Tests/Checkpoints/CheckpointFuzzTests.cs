using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Pipelines.Checkpoints;
using Pipelines.Serialization;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static Pipelines.Runtime.Tests.Checkpoints.CheckpointFixtures;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// Real checkpoints mutated in seeded ways (bit flips in the data, in the header, anywhere;
/// truncations; inserted, deleted and appended bytes; header lengths; numbers and slices of the
/// JSON header; junk headers) and edits that change no value (whitespace, the order of the header's
/// entries). Every mutation that changes a byte the checkpoint means is refused with a
/// <see cref="CheckpointException"/> naming the file (a flipped data bit: naming the tensor that
/// holds it); every case that loads holds bit for bit what the original holds, and resumes a
/// generated pipeline to the same weights and state. Never another exception, a crash or a hang.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class CheckpointFuzzTests(ITestOutputHelper output)
{
    /// <summary>Cases per checkpoint; <see cref="Mutation"/> draws each case's kind.</summary>
    const int Cases = 320;
    const int Seed = 20240606;

    enum Mutation { DataBitFlips, HeaderBitFlips, BitFlipsAnywhere, Truncation, Insertion, Deletion, HeaderLength, HeaderNumber, HeaderSlice, JunkHeader, Appended, NeutralWhitespace, NeutralReorder }

    sealed record Outcome(int Loaded, int Refused, Dictionary<Mutation, int> Kinds);

    /// <summary>The last.ckpt of a generated pipeline stopped mid-epoch: model, Adam, metric, early stopping, scheduler, both loaders, the generator, hyperparameters.</summary>
    [Fact]
    public async Task Mutated_pipeline_checkpoints_are_refused_or_load_bit_identical()
    {
        using var dir = new TempDirectory();
        string good;
        using (var run = new GeneratedResumeTests.Run(initSeed: 1))
        {
            using var cancellation = new CancellationTokenSource();
            run.Pipeline.AfterIteration = iteration =>
            {
                if (iteration == 11)
                    cancellation.Cancel();
            };
            var result = run.Fit(GeneratedResumeTests.Options(dir.Path), cancellation.Token);
            good = result.LastCheckpoint!;
        }
        var outcome = await Task.Run(() => Fuzz(good, dir, Seed, file =>
        {
            // What loads must resume a fresh pipeline at the saved counters and train on to the weights the original file gives.
            using var run = new GeneratedResumeTests.Run(initSeed: 77);
            var result = run.Fit(GeneratedResumeTests.Options(resumeFrom: file, epochs: 2));
            Assert.Equal(11, result.ResumedFrom!.Value.Iteration);
            Assert.Empty(result.HyperparameterChanges);
            return Snapshot(run.Pipeline.Model);
        }, expectedAfterResume: null)).WaitAsync(TimeSpan.FromMinutes(4));
        Report(outcome);
    }

    /// <summary>A hand-written loop's checkpoint: BatchNorm (an int64 buffer), SGD with momentum, a component with a tensor, counters and hyperparameters.</summary>
    [Fact]
    public async Task Mutated_batchnorm_checkpoints_are_refused_or_load_bit_identical()
    {
        using var dir = new TempDirectory();
        var good = dir.File("good.ckpt");
        Dictionary<string, float[]> weights;
        using (var model = BatchNormNet(1))
        using (var sgd = torch.optim.SGD(model.parameters(), 0.05, momentum: 0.9))
        {
            Train(model, sgd, 2, seed: 2);
            var contents = Contents(model, sgd, optimizerName: "sgd");
            contents.States.Add("stop", new CounterState { Best = 0.5, Patience = 1, History = torch.arange(3, ScalarType.Float32) });
            contents.Hyperparameters.Set("LearningRate", 0.05);
            contents.Counters = new CheckpointCounters(3, 40, 10, 40);
            Checkpoint.Save(good, contents);
            weights = Snapshot(model);
        }
        var outcome = await Task.Run(() => Fuzz(good, dir, Seed + 1, file =>
        {
            using var model = BatchNormNet(5);
            using var sgd = torch.optim.SGD(model.parameters(), 0.3, momentum: 0.9);
            var contents = Contents(model, sgd, optimizerName: "sgd");
            var stop = new CounterState();
            contents.States.Add("stop", stop);
            using (var checkpoint = Checkpoint.Load(file))
                checkpoint.Restore(contents);
            Assert.Equal((0.5, 1), (stop.Best, stop.Patience));
            return Snapshot(model);
        }, weights)).WaitAsync(TimeSpan.FromMinutes(4));
        Report(outcome);
    }

    void Report(Outcome outcome)
    {
        output.WriteLine($"{outcome.Loaded + outcome.Refused} cases: {outcome.Refused} refused, {outcome.Loaded} loaded bit-identical; by kind: "
            + string.Join(", ", outcome.Kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        Assert.Equal(Cases, outcome.Loaded + outcome.Refused);
        // Every kind was drawn, and the neutral edits (the only ones meant to load) did load.
        Assert.Equal(Enum.GetValues<Mutation>().Length, outcome.Kinds.Count);
        Assert.True(outcome.Loaded >= outcome.Kinds[Mutation.NeutralWhitespace] + outcome.Kinds[Mutation.NeutralReorder]);
    }

    static Sequential BatchNormNet(long seed)
    {
        torch.manual_seed(seed);
        return Sequential(Linear(4, 8), BatchNorm1d(8), ReLU(), Linear(8, 3));
    }

    /// <summary>
    /// Runs <see cref="Cases"/> mutations of <paramref name="good"/>. A case that loads must hold the
    /// original's tensors bit for bit and its counters, and <paramref name="restore"/> (which
    /// restores the file into fresh objects) must give the weights the original gives.
    /// </summary>
    static Outcome Fuzz(string good, TempDirectory dir, int seed, Func<string, Dictionary<string, float[]>> restore, Dictionary<string, float[]>? expectedAfterResume)
    {
        var original = File.ReadAllBytes(good);
        var layout = Layout(good);
        var expectedWeights = expectedAfterResume ?? restore(good);
        Dictionary<string, byte[]> tensors;
        CheckpointCounters counters;
        using (var checkpoint = Checkpoint.Load(good))
        {
            tensors = checkpoint.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.bytes.ToArray());
            counters = checkpoint.Counters;
        }
        var random = new Random(seed);
        var file = dir.File("case.ckpt");
        int loaded = 0, refused = 0;
        var kinds = new Dictionary<Mutation, int>();
        for (var i = 0; i < Cases; i++)
        {
            var kind = (Mutation)(i < Enum.GetValues<Mutation>().Length ? i : random.Next(Enum.GetValues<Mutation>().Length));
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
            var (bytes, what, tensorHit) = Mutate(kind, original, layout, random);
            var label = $"case {i} ({kind}: {what})";
            File.WriteAllBytes(file, bytes);
            var neutral = kind is Mutation.NeutralWhitespace or Mutation.NeutralReorder;
            try
            {
                using (var checkpoint = Checkpoint.Load(file))
                {
                    // Only edits of the header's text can leave every value as it was (a number replaced by itself, padding cut or doubled).
                    var mayLoad = neutral || kind is Mutation.HeaderNumber or Mutation.HeaderSlice || bytes.AsSpan().SequenceEqual(original);
                    Assert.True(mayLoad, $"{label}: a changed file loaded");
                    Assert.Equal(counters, checkpoint.Counters);
                    Assert.Equal(tensors.Keys.Order(), checkpoint.Tensors.Keys.Order());
                    foreach (var (key, value) in checkpoint.Tensors)
                        Assert.True(value.bytes.SequenceEqual(tensors[key]), $"{label}: '{key}' loaded with other bytes");
                }
                AssertSame(expectedWeights, restore(file));
                loaded++;
            }
            catch (CheckpointException e)
            {
                Assert.False(neutral, $"{label}: an edit that changes no value was refused: {e.Message}");
                Assert.True(e.Message.Contains(file, StringComparison.Ordinal), $"{label}: the error does not name the file: {e.Message}");
                if (tensorHit is { } key)
                    Assert.True(e.Key == key, $"{label}: the error names '{e.Key}', not the tensor '{key}' whose data changed: {e.Message}");
                refused++;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{label}: {e.GetType().Name} instead of a CheckpointException: {e}");
            }
        }
        return new(loaded, refused, kinds);
    }

    sealed record FileLayout(int HeaderLength, long DataStart, List<(string Name, long Begin, long End)> Tensors);

    static FileLayout Layout(string path)
    {
        using var handle = File.OpenHandle(path);
        var header = Safetensors.ReadHeader(handle, path);
        return new((int)(header.DataStart - 8), header.DataStart, header.Entries.Select(e => (e.Name, e.Begin, e.End)).ToList());
    }

    /// <summary>The mutated bytes, a description, and for a change inside one tensor's data, that tensor.</summary>
    static (byte[] Bytes, string What, string? TensorHit) Mutate(Mutation kind, byte[] original, FileLayout layout, Random random)
    {
        var bytes = (byte[])original.Clone();
        var headerLength = layout.HeaderLength;
        var headerEnd = (int)layout.DataStart;
        string Header() => Encoding.UTF8.GetString(original, 8, headerLength);
        switch (kind)
        {
            case Mutation.DataBitFlips:
                {
                    // One tensor's data, a few bits: the checksum names that tensor.
                    var (name, begin, end) = layout.Tensors.Where(t => t.End > t.Begin).ElementAt(random.Next(layout.Tensors.Count(t => t.End > t.Begin)));
                    var n = random.Next(1, 4);
                    var at = headerEnd + begin + random.NextInt64(end - begin);
                    for (var k = 0; k < n; k++)
                        bytes[at] ^= (byte)(1 << ((k + random.Next(8)) % 8));
                    if (bytes[at] == original[at])
                        bytes[at] ^= 1;
                    return (bytes, $"byte {at} of '{name}' ^ 0x{bytes[at] ^ original[at]:x2}", name);
                }
            case Mutation.HeaderBitFlips:
                {
                    var n = random.Next(1, 4);
                    for (var k = 0; k < n; k++)
                        bytes[8 + random.Next(headerLength)] ^= (byte)(1 << random.Next(8));
                    return (bytes, $"{n} bit flip(s) in the JSON header", null);
                }
            case Mutation.BitFlipsAnywhere:
                {
                    var n = random.Next(1, 9);
                    for (var k = 0; k < n; k++)
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    return (bytes, $"{n} bit flip(s) anywhere", null);
                }
            case Mutation.Truncation:
                {
                    var length = random.Next(bytes.Length);
                    return (bytes[..length], $"truncated to {length} of {original.Length} bytes", null);
                }
            case Mutation.Insertion:
                {
                    var at = random.Next(bytes.Length + 1);
                    var extra = new byte[random.Next(1, 17)];
                    random.NextBytes(extra);
                    return ([.. bytes[..at], .. extra, .. bytes[at..]], $"{extra.Length} byte(s) inserted at {at}", null);
                }
            case Mutation.Deletion:
                {
                    var at = random.Next(bytes.Length);
                    var length = random.Next(1, Math.Min(16, bytes.Length - at) + 1);
                    return ([.. bytes[..at], .. bytes[(at + length)..]], $"{length} byte(s) deleted at {at}", null);
                }
            case Mutation.HeaderLength:
                {
                    ulong[] absurd = [0, 1, 7, (ulong)headerLength - 1, (ulong)headerLength + 1, (ulong)headerLength + 8, (ulong)bytes.Length, ulong.MaxValue, long.MaxValue, 100_000_001, (ulong)random.NextInt64()];
                    var value = absurd[random.Next(absurd.Length)];
                    BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
                    return (bytes, $"header length {value}", null);
                }
            case Mutation.HeaderNumber:
                {
                    // One number of the JSON header (shapes, offsets, counters, rates) replaced by an absurd one.
                    var header = Header();
                    var digits = Enumerable.Range(0, header.Length).Where(j => char.IsAsciiDigit(header[j]) && (j == 0 || !char.IsAsciiDigit(header[j - 1]))).ToArray();
                    var at = digits[random.Next(digits.Length)];
                    var end = at;
                    while (end < header.Length && char.IsAsciiDigit(header[end]))
                        end++;
                    string[] replacements = ["-1", "0", "1", "99999999999999999999", "9223372036854775807", "1e308", "4294967296", "2147483648", "1.5"];
                    var replacement = replacements[random.Next(replacements.Length)];
                    return (WithHeader(original, headerEnd, header[..at] + replacement + header[end..]), $"number at {at} -> {replacement}", null);
                }
            case Mutation.HeaderSlice:
                {
                    var header = Header();
                    var at = random.Next(header.Length);
                    var length = random.Next(1, Math.Min(40, header.Length - at) + 1);
                    var edited = random.Next(2) == 0 ? header.Remove(at, length) : header.Insert(at, header.Substring(at, length));
                    return (WithHeader(original, headerEnd, edited), $"header slice {at}+{length} cut or doubled", null);
                }
            case Mutation.JunkHeader:
                {
                    string[] junk = ["", "[]", "null", "{", "{\"a\":", "{\"__metadata__\": 5}", "{\"__metadata__\": {\"pipelines.checkpoint\": \"{}\"}}",
                    "{\"__metadata__\": {\"pipelines.checkpoint\": \"[1,2]\", \"pipelines.checksums\": \"{}\"}}",
                    "{\"x\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"x\": {}}",
                    new string('[', 5000), "\"" + new string('a', 100) + "\""];
                    var text = junk[random.Next(junk.Length)];
                    return (WithHeader(original, headerEnd, text), $"header replaced by {(text.Length > 30 ? text[..30] + "..." : text)}", null);
                }
            case Mutation.Appended:
                {
                    var extra = new byte[random.Next(1, 64)];
                    random.NextBytes(extra);
                    return ([.. bytes, .. extra], $"{extra.Length} garbage bytes appended", null);
                }
            case Mutation.NeutralWhitespace:
                {
                    // JSON whitespace after a structural character outside strings: the same header, another length.
                    var header = Header();
                    var places = StructuralPositions(header);
                    var at = places[random.Next(places.Count)] + 1;
                    string[] blanks = [" ", "\n", "\t", "\r\n", "   "];
                    var blank = blanks[random.Next(blanks.Length)];
                    return (WithHeader(original, headerEnd, header.Insert(at, blank)), $"whitespace after header position {at - 1}", null);
                }
            default:
                {
                    // The header's entries in another order (JSON objects are unordered).
                    var node = JsonNode.Parse(Header())!.AsObject();
                    var entries = node.Select(kv => (kv.Key, Value: kv.Value!.DeepClone())).OrderBy(_ => random.Next()).ToList();
                    var reordered = new JsonObject();
                    foreach (var (key, value) in entries)
                        reordered[key] = value;
                    return (WithHeader(original, headerEnd, reordered.ToJsonString()), "header entries reordered", null);
                }
        }
    }

    /// <summary>Positions of '{', '[', ',' and ':' outside JSON strings.</summary>
    static List<int> StructuralPositions(string json)
    {
        var result = new List<int>();
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == '\\')
                    i++;
                else if (c == '"')
                    inString = false;
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[' or ',' or ':')
            {
                result.Add(i);
            }
        }
        return result;
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
    /// were tensor values) or ends in a CheckpointException with the optimizer as it was. A file
    /// crafted this way carries valid checksums, so what loads may hold values libtorch refuses at
    /// the next step (a rate that overflows a float): that is libtorch's error, not a crash.
    /// </summary>
    [Theory]
    [InlineData("sgd_momentum")]
    [InlineData("adam")]
    [InlineData("rmsprop")]
    [InlineData("adagrad")]
    public async Task A_corrupt_optimizer_state_stream_fails_cleanly_or_loads(string kind)
    {
        var rejected = 0;
        // Hundreds of fresh optimizers take a step each: TorchSharp's temporary-scalar race can hit one.
        await Task.Run(() => ScalarRace.Retry(() => rejected = FuzzOptimizerState(kind))).WaitAsync(TimeSpan.FromMinutes(3));
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
                // What loaded fits the parameters: the next step runs, or libtorch refuses the values
                // with its own error (an absurd rate or step count that overflows a float), never a crash.
                try
                {
                    Train(target, optimizer, 1, seed: 4);
                }
                catch (System.Runtime.InteropServices.ExternalException)
                {
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
