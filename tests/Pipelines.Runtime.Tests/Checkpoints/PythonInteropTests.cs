using System.Globalization;
using Pipelines.Checkpoints;
using static Pipelines.Runtime.Tests.Checkpoints.CheckpointFixtures;
using static TorchSharp.torch.nn;

namespace Pipelines.Runtime.Tests.Checkpoints;

/// <summary>
/// Checkpoints and PyTorch: /usr/bin/python3 (python3-torch 1.13) reads a checkpoint's weights
/// with json + struct only and computes the same forward pass; and a safetensors file written by
/// Python loads into the C# model with the same outputs.
/// </summary>
[Collection(GlobalRandomState.Name)]
public sealed class PythonInteropTests
{
    // The few lines a user needs to read safetensors without the safetensors package.
    const string Reader = """
        import json, struct, sys, torch
        DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
                  "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}
        def load_safetensors(path):
            with open(path, "rb") as f:
                (n,) = struct.unpack("<Q", f.read(8))
                header = json.loads(f.read(n))
                data = f.read()
            metadata = header.pop("__metadata__", {})
            tensors = {}
            for key, entry in header.items():
                begin, end = entry["data_offsets"]
                dtype = DTYPES[entry["dtype"]]
                flat = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
                tensors[key] = flat.reshape(entry["shape"])
            return tensors, metadata
        def inputs():
            return (torch.arange(20, dtype=torch.float32) / 10 - 1).reshape(5, 4)
        def net():
            return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
        def show(y):
            print(" ".join(repr(v) for v in y.detach().double().flatten().tolist()))

        """;

    static Tensor Inputs() => (torch.arange(20, ScalarType.Float32) / 10 - 1).reshape(5, 4);

    static float[] Outputs(string text) =>
        [.. text.Trim().Split(' ').Select(v => (float)double.Parse(v, CultureInfo.InvariantCulture))];

    /// <summary>
    /// The same weights give the same outputs up to float32 rounding: TorchSharp's libtorch 2.10 and
    /// python3-torch 1.13 sum the matrix products in different orders (a few ulps apart).
    /// </summary>
    static void AssertSameOutputs(float[] expected, float[] actual, string expectedFrom, string actualFrom)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f * Math.Max(1, Math.Abs(expected[i])),
                $"output {i}: {expectedFrom} {expected[i]:R}, {actualFrom} {actual[i]:R}");
    }

    [SkippableFact]
    public void Python_loads_the_weights_of_a_checkpoint_and_computes_the_same_outputs()
    {
        Skip.IfNot(PythonTorch.Available, PythonTorch.SkipReason);
        using var dir = new TempDirectory();
        var path = dir.File("model.ckpt");
        using var model = Mlp(3);
        using var adam = torch.optim.Adam(model.parameters(), 0.01);
        Train(model, adam, 3, seed: 4);
        Checkpoint.Save(path, Contents(model, adam));
        float[] expected;
        using (var scope = torch.NewDisposeScope())
            expected = model.call(Inputs()).data<float>().ToArray();

        var output = PythonTorch.Run(Reader + """
            tensors, metadata = load_safetensors(sys.argv[1])
            assert json.loads(metadata["pipelines.checkpoint"])["version"] == 3
            prefix = "model.net."
            model = net()
            model.load_state_dict({k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}, strict=True)
            with torch.no_grad():
                show(model(inputs()))
            """, path);
        AssertSameOutputs(expected, Outputs(output), "C#", "PyTorch");
    }

    // The checksums as docs/checkpoints.md defines them, recomputed with hashlib: one line per
    // tensor or metadata whose checksum does not match, then "verified N".
    const string Verifier = """
        import hashlib, json, struct, sys
        def prefixed(b):
            return struct.pack("<Q", len(b)) + b
        with open(sys.argv[1], "rb") as f:
            (n,) = struct.unpack("<Q", f.read(8))
            header = json.loads(f.read(n))
            data = f.read()
        metadata = header.pop("__metadata__")
        checks = json.loads(metadata["pipelines.checksums"])
        assert checks["algorithm"] == "sha256"
        h = hashlib.sha256()
        for key in sorted(k for k in metadata if k != "pipelines.checksums"):
            h.update(prefixed(key.encode()) + prefixed(metadata[key].encode()))
        if h.hexdigest() != checks["metadata"]:
            print("mismatch __metadata__")
        for key, entry in header.items():
            begin, end = entry["data_offsets"]
            layout = "%s[%s]" % (entry["dtype"], ",".join(str(d) for d in entry["shape"]))
            if hashlib.sha256(prefixed(layout.encode()) + data[begin:end]).hexdigest() != checks["tensors"][key]:
                print("mismatch " + key)
        print("verified %d" % len(header))
        """;

    [SkippableFact]
    public void Python_recomputes_the_checksums_as_documented()
    {
        Skip.IfNot(PythonTorch.Available, PythonTorch.SkipReason);
        using var dir = new TempDirectory();
        var path = dir.File("model.ckpt");
        using var model = Mlp(3);
        using var adam = torch.optim.Adam(model.parameters(), 0.01);
        Train(model, adam, 2, seed: 4);
        var contents = Contents(model, adam);
        contents.Hyperparameters.Set("LearningRate", 0.01);
        Checkpoint.Save(path, contents);
        int tensorCount;
        string last;   // the tensor whose data ends the file
        using (var checkpoint = Checkpoint.Load(path))
            (tensorCount, last) = (checkpoint.Tensors.Count, checkpoint.Tensors.Keys.Last());
        Assert.Equal($"verified {tensorCount}", PythonTorch.Run(Verifier, path).Trim());

        // The same script finds a flipped bit, in the tensor that holds it.
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x10;
        var flipped = dir.File("flipped.ckpt");
        File.WriteAllBytes(flipped, bytes);
        Assert.Equal($"mismatch {last}\nverified {tensorCount}", PythonTorch.Run(Verifier, flipped).Trim().ReplaceLineEndings("\n"));
        Assert.Equal(last, Assert.Throws<CheckpointException>(() => Checkpoint.Load(flipped)).Key);
    }

    [SkippableFact]
    public void A_safetensors_state_dict_written_by_python_loads_into_the_csharp_model()
    {
        Skip.IfNot(PythonTorch.Available, PythonTorch.SkipReason);
        using var dir = new TempDirectory();
        var path = dir.File("from_python.safetensors");
        var output = PythonTorch.Run(Reader + """
            def save_safetensors(tensors, path):
                header, blobs, offset = {}, [], 0
                for key, t in tensors.items():
                    t = t.detach().contiguous().to(torch.float32)
                    blob = struct.pack("<%df" % t.numel(), *t.flatten().tolist())
                    header[key] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
                    blobs.append(blob)
                    offset += len(blob)
                text = json.dumps(header).encode()
                text += b" " * (-len(text) % 8)
                with open(path, "wb") as f:
                    f.write(struct.pack("<Q", len(text)))
                    f.write(text)
                    for blob in blobs:
                        f.write(blob)
            torch.manual_seed(42)
            model = net()
            save_safetensors(model.state_dict(), sys.argv[1])
            with torch.no_grad():
                show(model(inputs()))
            """, path);
        var expected = Outputs(output);

        using var model = Sequential(Linear(4, 8), ReLU(), Linear(8, 3));
        Checkpoint.LoadModelWeights(path, model);
        using var scope = torch.NewDisposeScope();
        AssertSameOutputs(expected, model.call(Inputs()).data<float>().ToArray(), "PyTorch", "C#");
    }

    [SkippableFact]
    public void A_python_state_dict_that_does_not_fit_is_refused_naming_the_key()
    {
        Skip.IfNot(PythonTorch.Available, PythonTorch.SkipReason);
        using var dir = new TempDirectory();
        var path = dir.File("wrong.safetensors");
        PythonTorch.Run(Reader + """
            import struct
            t = torch.zeros(3, 8)
            text = json.dumps({"0.weight": {"dtype": "F32", "shape": [3, 8], "data_offsets": [0, 96]}}).encode()
            with open(sys.argv[1], "wb") as f:
                f.write(struct.pack("<Q", len(text))); f.write(text); f.write(bytes(96))
            """, path);
        using var model = Sequential(Linear(4, 8), ReLU(), Linear(8, 3));
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.LoadModelWeights(path, model));
        Assert.Equal("0.weight", error.Key);
        Assert.Contains(path, error.Message);
    }
}
