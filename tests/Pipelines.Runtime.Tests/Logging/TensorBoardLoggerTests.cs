using System.Diagnostics;
using System.Text;
using Pipelines.Checkpoints;
using Pipelines.Logging;
using Pipelines.Runtime.Tests.Handlers;

namespace Pipelines.Runtime.Tests.Logging;

public sealed class TensorBoardLoggerTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("pipelines-tb-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250);

    [Theory]
    // masked CRC-32C values from the CRC-32C check value and TFRecord's masking
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    public void Crc32C_matches_the_published_check_values(string text, uint expected)
    {
        var crc = Crc32C.Compute(Encoding.ASCII.GetBytes(text));
        Assert.Equal(expected, crc);
        Assert.Equal(((crc >> 15) | (crc << 17)) + 0xA282EAD8u, Crc32C.Masked(Encoding.ASCII.GetBytes(text)));
    }

    /// <summary>(tag, value) of every simple_value in an event's summary.</summary>
    static (string Tag, float Value)[] Scalars(ProtoMessage e) =>
        e.One(5)?.Message.All(1).Select(v => (v.Message.One(1)!.Text, v.Message.One(2)!.Float)).ToArray() ?? [];

    [Fact]
    public void The_event_file_starts_with_file_version_then_holds_the_scalars_with_steps_and_wall_times()
    {
        string path;
        using (var logger = new TensorBoardLogger(directory, new FixedClock(Now)))
        {
            path = logger.FilePath;
            Assert.StartsWith(Path.Combine(directory, "events.out.tfevents.1700000000."), path);
            logger.LogScalar("train/loss", 0.75, step: 10);
            logger.LogScalars(20, ("train/loss", 0.5), ("validation/accuracy", 0.875));
        }
        var events = EventFileReader.Read(path);
        Assert.Equal(3, events.Count);
        Assert.Equal("brain.Event:2", events[0].One(3)!.Text);
        Assert.All(events, e => Assert.Equal(1_700_000_000.25, e.One(1)!.Double));
        Assert.Equal(10UL, events[1].One(2)!.Bits);
        Assert.Equal([("train/loss", 0.75f)], Scalars(events[1]));
        Assert.Equal(20UL, events[2].One(2)!.Bits);
        Assert.Equal([("train/loss", 0.5f), ("validation/accuracy", 0.875f)], Scalars(events[2]));
    }

    [Fact]
    public void Learning_rates_are_scalars_per_parameter_group()
    {
        using var optimizer = RunDriver.TwoGroupSgd();
        string path;
        using (var logger = new TensorBoardLogger(directory))
        {
            path = logger.FilePath;
            logger.LogLearningRates(optimizer, 3);
        }
        var events = EventFileReader.Read(path);
        Assert.Equal([("lr/group0", 0.1f)], Scalars(events[1]));
        Assert.Equal([("lr/group1", 0.02f)], Scalars(events[2]));
    }

    [Theory]
    [InlineData(null, 0, 1, "lr")]
    [InlineData(null, 1, 2, "lr/group1")]
    [InlineData("generatorOptimizer", 0, 1, "lr/generatorOptimizer")]
    [InlineData("generatorOptimizer", 2, 3, "lr/generatorOptimizer/group2")]
    public void Learning_rates_have_one_naming_for_the_callbacks_and_the_manual_calls(string? member, int group, int groups, string expected) =>
        Assert.Equal(expected, LoggedScalars.LearningRateName(member, group, groups));

    [Fact]
    public void Hyperparameters_are_written_for_the_hparams_plugin_and_as_a_text_table()
    {
        string path;
        using (var logger = new TensorBoardLogger(directory))
        {
            path = logger.FilePath;
            var hyperparameters = new HyperparameterValues();
            hyperparameters.Set("lr", 0.001);
            hyperparameters.Set("optimizer", "adam");
            hyperparameters.Set("augment", true);
            hyperparameters.Set("dropout", (double?)null);
            logger.LogHyperparameters(hyperparameters, ["validation/accuracy"]);
        }
        var events = EventFileReader.Read(path);
        // file_version, experiment, session start, text table, session end (at Dispose)
        Assert.Equal(5, events.Count);
        ProtoMessage Value(int i) => events[i].One(5)!.Message.One(1)!.Message;
        (string Plugin, ProtoMessage Content) Plugin(ProtoMessage value)
        {
            var data = value.One(9)!.Message.One(1)!.Message;
            return (data.One(1)!.Text, ProtoMessage.Parse(data.One(2)?.Bytes ?? []));
        }

        Assert.Equal("_hparams_/experiment", Value(1).One(1)!.Text);
        var (plugin, content) = Plugin(Value(1));
        Assert.Equal("hparams", plugin);
        Assert.Equal(0UL, content.One(1)!.Bits);
        var experiment = content.One(2)!.Message;
        Assert.Equal(["lr", "optimizer", "augment", "dropout"], experiment.All(4).Select(i => i.Message.One(1)!.Text));
        Assert.Equal([3UL, 1UL, 2UL, 1UL], experiment.All(4).Select(i => i.Message.One(4)!.Bits));
        Assert.Equal("validation/accuracy", experiment.One(5)!.Message.One(1)!.Message.One(2)!.Text);

        Assert.Equal("_hparams_/session_start_info", Value(2).One(1)!.Text);
        var start = Plugin(Value(2)).Content.One(3)!.Message;
        var map = start.All(1).Select(e => e.Message).ToDictionary(e => e.One(1)!.Text, e => e.One(2)!.Message);
        Assert.Equal(0.001, map["lr"].One(2)!.Double);
        Assert.Equal("adam", map["optimizer"].One(3)!.Text);
        Assert.Equal(1UL, map["augment"].One(4)!.Bits);
        Assert.Equal("none", map["dropout"].One(3)!.Text);

        Assert.Equal("hparams", Value(3).One(1)!.Text);
        Assert.Equal("text", Plugin(Value(3)).Plugin);
        var tensor = Value(3).One(8)!.Message;
        Assert.Equal(7UL, tensor.One(1)!.Bits);
        Assert.Equal("| hyperparameter | value |\n| --- | --- |\n| lr | 0.001 |\n| optimizer | adam |\n| augment | true |\n| dropout | none |\n", tensor.One(8)!.Text);

        Assert.Equal("_hparams_/session_end_info", Value(4).One(1)!.Text);
        Assert.Equal(1UL, Plugin(Value(4)).Content.One(4)!.Message.One(1)!.Bits);
    }

    const string PythonReader = """
        import json, struct, sys
        def crc32c(data):
            crc = 0xFFFFFFFF
            for b in data:
                crc ^= b
                for _ in range(8):
                    crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
            return crc ^ 0xFFFFFFFF
        def masked(data):
            c = crc32c(data)
            return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF
        def varint(b, i):
            v = s = 0
            while True:
                x = b[i]; i += 1; v |= (x & 0x7F) << s; s += 7
                if x < 0x80: return v, i
        def fields(b):
            i, out = 0, []
            while i < len(b):
                k, i = varint(b, i); n, w = k >> 3, k & 7
                if w == 0: v, i = varint(b, i)
                elif w == 1: v = b[i:i + 8]; i += 8
                elif w == 5: v = b[i:i + 4]; i += 4
                else: l, i = varint(b, i); v = b[i:i + l]; i += l
                out.append((n, v))
            return out
        data, at, scalars = open(sys.argv[1], "rb").read(), 0, []
        while at < len(data):
            (n,) = struct.unpack_from("<Q", data, at)
            assert struct.unpack_from("<I", data, at + 8)[0] == masked(data[at:at + 8]), "length crc"
            body = data[at + 12:at + 12 + n]
            assert struct.unpack_from("<I", data, at + 12 + n)[0] == masked(body), "data crc"
            at += 16 + n
            event = dict(fields(body))
            step = event.get(2, 0)
            for f, value in fields(event.get(5, b"")):
                v = dict(fields(value))
                if 2 in v: scalars.append([step, v[1].decode(), struct.unpack("<f", v[2])[0]])
        print(json.dumps(scalars))
        """;

    [SkippableFact]
    public void An_independent_python_reader_agrees_on_crcs_and_scalars()
    {
        Skip.IfNot(File.Exists("/usr/bin/python3"), "/usr/bin/python3 is not installed; the C# reader above still checks the file.");
        // tensorboard itself is not installed here (no `import tensorboard`), so the cross-check is an
        // independent pure-Python TFRecord/CRC-32C/protobuf reader rather than TensorBoard's loader.
        string path;
        using (var logger = new TensorBoardLogger(directory))
        {
            path = logger.FilePath;
            logger.LogScalars(7, ("loss", 0.25), ("accuracy", 0.5));
            logger.LogScalar("lr", 0.125, 8);
        }
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(PythonReader);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        Assert.Equal("[[7, \"loss\", 0.25], [7, \"accuracy\", 0.5], [8, \"lr\", 0.125]]", output.Trim());
    }
}
