using System.Globalization;
using System.Text.Json;
using static Pipelines.Torch.torch;

namespace Pipelines.Torch.Tests;

/// <summary>Conv1d and Conv2d with PyTorch's padding modes: outputs and gradients equal PyTorch's.</summary>
public sealed class ConvPaddingTests
{
    // The same weights, bias and input in both languages: smooth functions of the element index.
    const string Script = """
        import json, math, sys, torch
        modes = {"Constant": "zeros", "Reflect": "reflect", "Replicate": "replicate", "Circular": "circular"}
        def fill(t, scale):
            with torch.no_grad():
                t.copy_(torch.sin(torch.arange(t.numel(), dtype=torch.float32) * scale).reshape(t.shape))
        out = {}
        for name, mode in modes.items():
            for dims in (1, 2):
                conv = (torch.nn.Conv1d(2, 3, 3, padding=2, padding_mode=mode) if dims == 1
                        else torch.nn.Conv2d(2, 3, (3, 2), stride=(2, 1), padding=(2, 1), padding_mode=mode))
                fill(conv.weight, 0.37); fill(conv.bias, 1.3)
                x = torch.empty((2, 2, 7) if dims == 1 else (2, 2, 5, 6)); fill(x, 0.11)
                x.requires_grad_(True)
                y = conv(x)
                (y * y).sum().backward()
                out[f"{name}{dims}"] = {"shape": list(y.shape), "y": y.flatten().tolist(),
                                         "dx": x.grad.flatten().tolist(), "dw": conv.weight.grad.flatten().tolist()}
        print(json.dumps(out))
        """;

    static void Fill(Tensor t, double scale)
    {
        using var _ = no_grad();
        using var index = arange(t.numel(), dtype: ScalarType.Float32);
        using var scaled = index.mul(scale);
        using var values = scaled.sin();
        using var shaped = values.reshape(t.shape);
        t.copy_(shaped);
    }

    [SkippableTheory]
    [InlineData(nn.PaddingModes.Constant)]
    [InlineData(nn.PaddingModes.Reflect)]
    [InlineData(nn.PaddingModes.Replicate)]
    [InlineData(nn.PaddingModes.Circular)]
    public void Every_mode_matches_pytorch_forward_and_backward(nn.PaddingModes mode)
    {
        Skip.IfNot(PythonTorch.Available, PythonTorch.SkipReason);
        using var expected = JsonDocument.Parse(PythonTorch.Run(Script));
        foreach (var dims in new[] { 1, 2 })
        {
            using var scope = NewDisposeScope();
            var conv = dims == 1
                ? (Modules.ConvNd)nn.Conv1d(2, 3, 3, padding: 2, padding_mode: mode)
                : nn.Conv2d(2, 3, (3, 2), stride: (2, 1), padding: (2, 1), padding_mode: mode);
            using var _ = conv;
            Fill(conv.weight, 0.37);
            Fill(conv.bias!, 1.3);
            var x = empty(dims == 1 ? [2, 2, 7] : [2, 2, 5, 6]);
            Fill(x, 0.11);
            x.requires_grad = true;
            var y = conv.call(x);
            y.mul(y).sum().backward();

            var theirs = expected.RootElement.GetProperty(mode.ToString() + dims);
            var label = mode + " " + dims + "-D";
            Assert.Equal(theirs.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), y.shape);
            AssertClose(theirs.GetProperty("y"), y, label + " output");
            AssertClose(theirs.GetProperty("dx"), x.grad!, label + " input gradient");
            AssertClose(theirs.GetProperty("dw"), conv.weight.grad!, label + " weight gradient");
        }
    }

    static void AssertClose(JsonElement expected, Tensor actual, string what)
    {
        var theirs = expected.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var ours = actual.ToArray<float>();
        Assert.Equal(theirs.Length, ours.Length);
        for (var i = 0; i < ours.Length; i++)
            Assert.True(Math.Abs(theirs[i] - ours[i]) <= 1e-4 * (1 + Math.Abs(theirs[i])),
                string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]: PyTorch {theirs[i]}, ours {ours[i]}"));
    }

    [Fact]
    public void The_padding_mode_changes_the_border_and_not_the_inside()
    {
        using var scope = NewDisposeScope();
        var zeros = nn.Conv1d(1, 1, 3, padding: 1, hasBias: false);
        var circular = nn.Conv1d(1, 1, 3, padding: 1, hasBias: false, padding_mode: nn.PaddingModes.Circular);
        Fill(zeros.weight, 1);
        Fill(circular.weight, 1);
        var x = arange(1, 6, dtype: ScalarType.Float32).reshape(1, 1, 5);
        var a = zeros.call(x).ToArray<float>();
        var b = circular.call(x).ToArray<float>();
        Assert.Equal(a[1..4], b[1..4]);
        // weights sin(0), sin(1), sin(2): the left border sees x[-1] = 5 instead of 0.
        Assert.Equal(a[0] + 5 * MathF.Sin(0), b[0], 5);
        Assert.Equal(a[4] + 1 * MathF.Sin(2), b[4], 5);
        Assert.Equal(nn.PaddingModes.Circular, circular.padding_mode);
    }

    [Fact]
    public void Negative_padding_and_unknown_modes_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Conv2d(1, 1, 3, padding: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Conv1d(1, 1, 3, padding_mode: (nn.PaddingModes)9));
    }
}
