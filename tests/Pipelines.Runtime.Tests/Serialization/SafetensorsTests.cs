using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Pipelines.Checkpoints;
using Pipelines.Serialization;

namespace Pipelines.Runtime.Tests.Serialization;

/// <summary>Pipelines' safetensors reader and writer: every dtype, the layout, atomic writes, PyTorch interop, malformed files.</summary>
public sealed class SafetensorsTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("safetensors-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    string PathOf(string name) => Path.Combine(directory, name);

    static Dictionary<string, Tensor> EveryDtype() => new()
    {
        ["f64"] = tensor(new[] { 1.5, -2.25, double.MaxValue }),
        ["f32"] = tensor(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, [2, 3]),
        ["f16"] = tensor(new[] { (Half)0.5, (Half)(-3), Half.MaxValue }),
        ["bf16"] = tensor(new[] { 1f, -2f, 0.5f, 3f }, [2, 2]).to(ScalarType.BFloat16),
        ["i64"] = tensor(new[] { long.MinValue, 0, long.MaxValue }),
        ["i32"] = tensor(new[] { int.MinValue, 7, int.MaxValue }),
        ["i16"] = tensor(new short[] { short.MinValue, -1, short.MaxValue }),
        ["i8"] = tensor(new sbyte[] { sbyte.MinValue, 0, sbyte.MaxValue }),
        ["u8"] = tensor(new byte[] { 0, 128, 255 }),
        ["bool"] = tensor(new[] { true, false, true }),
        ["scalar"] = tensor(42.0),
        ["empty"] = zeros([0, 3]),
    };

    [Fact]
    public void Every_dtype_round_trips_with_metadata()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("all.safetensors");
        var saved = EveryDtype();
        Safetensors.Save(saved, path, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode" });
        var loaded = Safetensors.Load(path, out var metadata);
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal("ünïcode", metadata["note"]);
        Assert.Equal(saved.Keys.Order(), loaded.Keys.Order());
        foreach (var (key, expected) in saved)
        {
            var actual = loaded[key];
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(expected.Equals(actual), $"{key} differs after the round trip");
        }
        Assert.Equal(metadata, Safetensors.ReadMetadata(path));
    }

    [Fact]
    public void The_header_is_padded_to_eight_bytes_and_starts_with_json()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("layout.safetensors");
        Safetensors.Save(new Dictionary<string, Tensor> { ["x"] = ones(3) }, path);
        var bytes = File.ReadAllBytes(path);
        var n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + n) % 8);
        Assert.Equal((byte)'{', bytes[8]);
        Assert.Equal(8 + n + 12, bytes.Length);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)n));
        Assert.Equal("F32", header.RootElement.GetProperty("x").GetProperty("dtype").GetString());
    }

    [Fact]
    public void Writes_replace_the_target_atomically_and_leave_no_temporary_files()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("atomic.safetensors");
        Safetensors.Save(new Dictionary<string, Tensor> { ["x"] = ones(3) }, path);
        Safetensors.Save(new Dictionary<string, Tensor> { ["y"] = zeros(2) }, path);
        Assert.Equal(["y"], Safetensors.Load(path).Keys);

        var disposed = ones(4);
        disposed.Dispose();
        Assert.ThrowsAny<InvalidOperationException>(() => Safetensors.Save(new Dictionary<string, Tensor> { ["a"] = ones(2), ["b"] = disposed }, path));
        Assert.Equal(["y"], Safetensors.Load(path).Keys);
        Assert.Equal([path], Directory.GetFiles(directory));
    }

    [Fact]
    public void A_module_state_dict_saved_here_loads_into_another_module()
    {
        var path = PathOf("module.safetensors");
        manual_seed(2);
        using var source = nn.Linear(3, 2);
        manual_seed(1);
        using var target = nn.Linear(3, 2);
        Safetensors.Save(source.state_dict(), path);
        Checkpoint.LoadModelWeights(path, target);
        var loaded = target.state_dict();
        foreach (var (key, value) in source.state_dict())
            Assert.True(value.Equals(loaded[key]), key);
    }

    [SkippableFact]
    public void PyTorch_reads_a_file_written_here()
    {
        Skip.IfNot(PythonTorch.Available, PythonTorch.SkipReason);
        using var scope = NewDisposeScope();
        var path = PathOf("to-python.safetensors");
        var saved = EveryDtype();
        Safetensors.Save(saved, path, new Dictionary<string, string> { ["who"] = "csharp" });
        const string script = """
            import json, struct, sys, torch
            dtypes = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
                      "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
                      "U8": torch.uint8, "BOOL": torch.bool}
            data = open(sys.argv[1], "rb").read()
            (n,) = struct.unpack("<Q", data[:8])
            header = json.loads(data[8:8 + n])
            body = data[8 + n:]
            out = {"__metadata__": header.pop("__metadata__")}
            for name, info in header.items():
                begin, end = info["data_offsets"]
                dtype = dtypes[info["dtype"]]
                if end > begin:
                    t = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype).reshape(info["shape"])
                else:
                    t = torch.empty(info["shape"], dtype=dtype)
                values = t.double() if t.is_floating_point() else t.long()
                out[name] = {"shape": list(t.shape), "values": [repr(v) for v in values.flatten().tolist()]}
            print(json.dumps(out))
            """;
        using var result = JsonDocument.Parse(PythonTorch.Run(script, path));
        var root = result.RootElement;
        Assert.Equal("csharp", root.GetProperty("__metadata__").GetProperty("who").GetString());
        foreach (var (key, expected) in saved)
        {
            var entry = root.GetProperty(key);
            Assert.Equal(expected.shape, entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
            var values = entry.GetProperty("values").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Assert.Equal(Expected(expected), values);
        }
    }

    // Python's repr of each value after widening to float64 or int64, as the script prints it.
    static string[] Expected(Tensor t)
    {
        var floating = t.dtype is ScalarType.Float64 or ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16;
        if (floating)
            return t.to(ScalarType.Float64).reshape([-1]).data<double>().ToArray().Select(PythonRepr).ToArray();
        return t.to(ScalarType.Int64).reshape([-1]).data<long>().ToArray().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    static string PythonRepr(double v)
    {
        var s = v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (s.Contains('E'))
        {
            var parts = s.Split('E');
            var exponent = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            return parts[0] + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
        }
        return s.Contains('.') ? s : s + ".0";
    }

    [SkippableFact]
    public void A_file_written_by_python_is_read_here()
    {
        Skip.IfNot(PythonTorch.Available, PythonTorch.SkipReason);
        var path = PathOf("from-python.safetensors");
        const string script = """
            import json, struct, sys, torch
            tensors = {
                "weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4,
                "half": torch.tensor([0.5, -1.5], dtype=torch.float16),
                "brain": torch.tensor([1.0, -2.0, 0.25], dtype=torch.bfloat16),
                "ids": torch.tensor([[1, -2], [3, 4]], dtype=torch.int64),
                "mask": torch.tensor([True, False]),
            }
            names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64", torch.bool: "BOOL"}
            header, blobs, offset = {"__metadata__": {"source": "python"}}, [], 0
            for name, t in sorted(tensors.items()):
                raw = t.contiguous().view(torch.uint8).numpy().tobytes() if t.dtype != torch.bool else t.numpy().tobytes()
                header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
                blobs.append(raw)
                offset += len(raw)
            text = json.dumps(header).encode()
            text += b" " * (-len(text) % 8)
            with open(sys.argv[1], "wb") as f:
                f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
            """;
        PythonTorch.Run(script, path);
        using var scope = NewDisposeScope();
        var loaded = Safetensors.Load(path, out var metadata);
        Assert.Equal("python", metadata["source"]);
        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f }, loaded["weight"].data<float>().ToArray());
        Assert.Equal(new long[] { 2, 3 }, loaded["weight"].shape);
        Assert.Equal(new[] { (Half)0.5, (Half)(-1.5) }, loaded["half"].data<Half>().ToArray());
        Assert.Equal(new[] { 1f, -2f, 0.25f }, loaded["brain"].to(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(new long[] { 1, -2, 3, 4 }, loaded["ids"].data<long>().ToArray());
        Assert.Equal(new[] { true, false }, loaded["mask"].data<bool>().ToArray());
    }

    // ---- malformed files ---------------------------------------------------------------------------

    string Write(string name, byte[] bytes)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static byte[] Bytes(string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }

    void AssertInvalid(string name, byte[] bytes, params string[] fragments)
    {
        var path = Write(name, bytes);
        var error = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
        Assert.Contains(path, error.Message);
        foreach (var f in fragments)
            Assert.Contains(f, error.Message);
    }

    [Fact]
    public void A_file_shorter_than_the_header_length_is_refused() =>
        AssertInvalid("short.safetensors", [1, 2, 3], "too short");

    [Fact]
    public void A_header_length_past_the_end_is_refused()
    {
        var bytes = Bytes("{}", 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 4096);
        AssertInvalid("long-header.safetensors", bytes, "bad header length 4096");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        AssertInvalid("huge-header.safetensors", bytes, "bad header length");
    }

    [Fact]
    public void Invalid_json_is_refused() =>
        AssertInvalid("json.safetensors", Bytes("{\"x\": {\"dtype\": ", 0), "not valid JSON");

    [Fact]
    public void A_header_with_invalid_utf8_is_refused()
    {
        var bytes = Bytes("""{"xé": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}""", 1);
        bytes[8 + 3] = 0xff;
        AssertInvalid("utf8.safetensors", bytes, "not valid UTF-8");
    }

    [Fact]
    public void An_unknown_dtype_is_refused() =>
        AssertInvalid("dtype.safetensors", Bytes("""{"x": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}}""", 1), "tensor 'x'", "unknown dtype 'F8_E4M3'");

    [Fact]
    public void Offsets_that_do_not_match_the_shape_are_refused() =>
        AssertInvalid("size.safetensors", Bytes("""{"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}""", 4), "tensor 'x'", "needs 8");

    [Fact]
    public void Offsets_past_the_data_are_refused_as_truncation() =>
        AssertInvalid("truncated.safetensors", Bytes("""{"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}""", 10), "tensor 'x'", "truncated");

    [Fact]
    public void Overlapping_tensors_are_refused() =>
        AssertInvalid("overlap.safetensors",
            Bytes("""{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""", 12),
            "tensor 'b'", "overlaps", "'a'");

    [Fact]
    public void A_gap_between_tensors_is_refused() =>
        AssertInvalid("gap.safetensors",
            Bytes("""{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}""", 12),
            "tensor 'b'", "4 unaccounted bytes");

    [Fact]
    public void Bytes_after_the_last_tensor_are_refused()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("appended-source.safetensors");
        Safetensors.Save(new Dictionary<string, Tensor> { ["a"] = ones(4) }, path);
        AssertInvalid("appended.safetensors", [.. File.ReadAllBytes(path), 1, 2, 3], "3 bytes follow the last tensor's data");
    }

    [Fact]
    public void Malformed_entries_are_refused()
    {
        AssertInvalid("negative.safetensors", Bytes("""{"x": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 0]}}""", 0), "tensor 'x'", "shape");
        AssertInvalid("no-offsets.safetensors", Bytes("""{"x": {"dtype": "F32", "shape": [1]}}""", 4), "tensor 'x'", "data_offsets");
        AssertInvalid("metadata.safetensors", Bytes("""{"__metadata__": {"k": 1}}""", 0), "__metadata__", "'k'");
        AssertInvalid("array.safetensors", Bytes("[1, 2]", 0), "not an object");
    }

    [Fact]
    public void A_truncated_real_file_is_refused()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("cut.safetensors");
        Safetensors.Save(new Dictionary<string, Tensor> { ["a"] = ones(4), ["b"] = ones(100) }, path);
        var bytes = File.ReadAllBytes(path);
        AssertInvalid("cut2.safetensors", bytes[..^7], "tensor 'b'", "truncated");
    }

    [Fact]
    public void A_missing_file_names_the_path()
    {
        var path = PathOf("missing.safetensors");
        var error = Assert.Throws<FileNotFoundException>(() => Safetensors.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_module_load_that_does_not_fit_names_the_file_and_the_key()
    {
        using var scope = NewDisposeScope();
        var path = PathOf("wrong.safetensors");
        Safetensors.Save(new Dictionary<string, Tensor> { ["weight"] = ones(3), ["bias"] = ones(2) }, path);
        using var module = nn.Linear(3, 2);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.LoadModelWeights(path, module));
        Assert.Contains(path, error.Message);
        Assert.Equal("weight", error.Key);
    }
}
