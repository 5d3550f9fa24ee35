using static Pipelines.Torch.Tests.Golden;
using static Pipelines.Torch.torch.nn;

namespace Pipelines.Torch.Tests;

/// <summary>Every functional family against PyTorch 1.13 (golden/functional.json).</summary>
public class NnFunctionalTests
{
    [Fact]
    public void Linear_matches_pytorch_with_and_without_bias()
    {
        using var scope = NewDisposeScope();
        var c = Functional("linear");
        AssertClose(c, "out", functional.linear(F(c, "x"), F(c, "w"), F(c, "b")));
        AssertClose(c, "out_nobias", functional.linear(F(c, "x"), F(c, "w")));
    }

    [Fact]
    public void Convolutions_match_pytorch_with_stride_padding_dilation_and_groups()
    {
        using var scope = NewDisposeScope();
        var c1 = Functional("conv1d");
        AssertClose(c1, "out", functional.conv1d(F(c1, "x"), F(c1, "w"), F(c1, "b"), stride: [2], padding: [1], dilation: [2]));
        var c2 = Functional("conv2d");
        AssertClose(c2, "out", functional.conv2d(F(c2, "x"), F(c2, "w"), F(c2, "b"), stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 3));
    }

    [Fact]
    public void Pooling_matches_pytorch()
    {
        using var scope = NewDisposeScope();
        var c = Functional("pool2d");
        var x = F(c, "x");
        AssertClose(c, "max", functional.max_pool2d(x, 3, stride: 2, padding: 1));
        AssertClose(c, "max_ceil", functional.max_pool2d(x, [3, 2], stride: [2, 2], ceil_mode: true));
        AssertClose(c, "avg", functional.avg_pool2d(x, 3, stride: 2, padding: 1, count_include_pad: false));
        AssertClose(c, "avg_divisor", functional.avg_pool2d(x, 2, divisor_override: 3));
        AssertClose(c, "adaptive", functional.adaptive_avg_pool2d(x, [3, 2]));
    }

    [Fact]
    public void Batch_norm_updates_running_statistics_in_training_and_uses_them_in_evaluation()
    {
        using var scope = NewDisposeScope();
        var c = Functional("batch_norm");
        var x = F(c, "x");
        var (rm, rv) = (F(c, "rm"), F(c, "rv"));
        AssertClose(c, "eval_out", functional.batch_norm(x, rm, rv, F(c, "w"), F(c, "b"), training: false, eps: 1e-3));
        AssertClose(c, "rm", rm);
        AssertClose(c, "train_out", functional.batch_norm(x, rm, rv, F(c, "w"), F(c, "b"), training: true, momentum: 0.2, eps: 1e-3));
        AssertClose(c, "rm_after", rm);
        AssertClose(c, "rv_after", rv);
    }

    [Fact]
    public void Layer_norm_matches_pytorch()
    {
        using var scope = NewDisposeScope();
        var c = Functional("layer_norm");
        AssertClose(c, "out", functional.layer_norm(F(c, "x"), [3, 4], F(c, "w"), F(c, "b"), eps: 1e-4));
        AssertClose(c, "out_plain", functional.layer_norm(F(c, "x"), [4]));
    }

    [Fact]
    public void Embedding_matches_pytorch_and_padding_row_gets_no_gradient()
    {
        using var scope = NewDisposeScope();
        var c = Functional("embedding");
        var w = F(c, "w").requires_grad_();
        var output = functional.embedding(L(c, "idx"), w, padding_idx: 0);
        AssertClose(c, "out", output);
        output.sum().backward();
        AssertClose(c, "grad", w.grad!);
    }

    [Fact]
    public void Activations_match_pytorch()
    {
        using var scope = NewDisposeScope();
        var c = Functional("activations");
        var x = F(c, "x");
        AssertClose(c, "relu", functional.relu(x));
        AssertClose(c, "gelu", functional.gelu(x));
        AssertClose(c, "gelu_tanh", functional.gelu(x, approximate: "tanh"));
        AssertClose(c, "silu", functional.silu(x));
        AssertClose(c, "tanh", functional.tanh(x));
        AssertClose(c, "sigmoid", functional.sigmoid(x));
        AssertClose(c, "softmax", functional.softmax(x, 1));
        AssertClose(c, "log_softmax", functional.log_softmax(x, 0));
        Assert.Throws<ArgumentException>(() => functional.gelu(x, "fast"));
    }

    [Fact]
    public void One_hot_pad_and_flatten_match_pytorch()
    {
        using var scope = NewDisposeScope();
        var oneHot = functional.one_hot(L(Functional("one_hot"), "x"), 5);
        Assert.Equal(ScalarType.Int64, oneHot.dtype);
        AssertClose(Functional("one_hot"), "out", oneHot);

        var c = Functional("pad");
        var x = F(c, "x");
        AssertClose(c, "constant", functional.pad(x, [1, 2, 2, 1], value: 0.5));
        AssertClose(c, "reflect", functional.pad(x, [1, 2, 2, 1], PaddingModes.Reflect));
        AssertClose(c, "replicate", functional.pad(x, [1, 2, 2, 1], PaddingModes.Replicate));
        AssertClose(c, "circular", functional.pad(x, [1, 2, 2, 1], PaddingModes.Circular));
        Assert.Throws<ArgumentException>(() => functional.pad(x, [1, 2, 3]));

        Assert.Equal(new long[] { 1, 24 }, functional.flatten(x, 1).shape);
        Assert.Equal(new long[] { 2, 12 }, functional.flatten(x, 0, 1).flatten(1).view(2, 12).shape);
    }

    [Fact]
    public void Dropout_scales_survivors_in_training_and_is_the_identity_otherwise()
    {
        using var scope = NewDisposeScope();
        var x = ones(1000);
        Assert.True(functional.dropout(x, 0.5, training: false).equal(x));
        Assert.True(functional.dropout(x, 0.0).equal(x));
        Assert.Equal(0f, functional.dropout(x, 1.0).abs().sum().item<float>());
        var dropped = functional.dropout(x, 0.5);
        var values = dropped.ToArray<float>();
        Assert.All(values, v => Assert.True(v == 0f || v == 2f, $"unexpected value {v}"));
        Assert.InRange(values.Count(v => v == 0f), 350, 650);
        Assert.Throws<TorchException>(() => functional.dropout(x, 1.5));
    }

    public static TheoryData<string, Reduction> CrossEntropyCases()
    {
        var data = new TheoryData<string, Reduction>();
        foreach (var name in new[] { "plain", "weighted", "ignore", "smooth", "probabilities", "probabilities_smooth", "kdim" })
            foreach (var reduction in new[] { Reduction.None, Reduction.Mean, Reduction.Sum })
                data.Add(name, reduction);
        return data;
    }

    static string Key(Reduction reduction) => reduction.ToString().ToLowerInvariant();

    [Theory]
    [MemberData(nameof(CrossEntropyCases))]
    public void Cross_entropy_matches_pytorch(string name, Reduction reduction)
    {
        using var scope = NewDisposeScope();
        var c = Functional("cross_entropy");
        var (x, target, weight) = (F(c, "x"), L(c, "target"), F(c, "weight"));
        var loss = name switch
        {
            "plain" => functional.cross_entropy(x, target, reduction: reduction),
            "weighted" => functional.cross_entropy(x, target, weight, reduction: reduction),
            "ignore" => functional.cross_entropy(x, target, weight, ignore_index: 1, reduction: reduction),
            "smooth" => functional.cross_entropy(x, target, weight, reduction: reduction, label_smoothing: 0.1),
            "probabilities" => functional.cross_entropy(x, F(c, "probs"), reduction: reduction),
            "probabilities_smooth" => functional.cross_entropy(x, F(c, "probs"), reduction: reduction, label_smoothing: 0.2),
            "kdim" => functional.cross_entropy(F(c, "x3"), L(c, "target3"), reduction: reduction),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        AssertClose(c.GetProperty(name), Key(reduction), loss);
    }

    [Theory]
    [InlineData(Reduction.None)]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    public void Nll_and_regression_and_binary_losses_match_pytorch(Reduction reduction)
    {
        using var scope = NewDisposeScope();
        var r = Key(reduction);
        var n = Functional("nll_loss");
        AssertClose(n.GetProperty("plain"), r, functional.nll_loss(F(n, "x"), L(n, "target"), reduction: reduction));
        AssertClose(n.GetProperty("weighted_ignore"), r, functional.nll_loss(F(n, "x"), L(n, "target"), F(n, "weight"), ignore_index: 3, reduction: reduction));

        var g = Functional("regression");
        var (a, y) = (F(g, "x"), F(g, "y"));
        AssertClose(g.GetProperty("mse"), r, functional.mse_loss(a, y, reduction));
        AssertClose(g.GetProperty("l1"), r, functional.l1_loss(a, y, reduction));
        AssertClose(g.GetProperty("smooth_l1"), r, functional.smooth_l1_loss(a, y, reduction));
        AssertClose(g.GetProperty("smooth_l1_beta"), r, functional.smooth_l1_loss(a, y, reduction, beta: 0.5));

        var b = Functional("binary");
        var (p, t, w) = (F(b, "p"), F(b, "y"), F(b, "weight"));
        AssertClose(b.GetProperty("bce"), r, functional.binary_cross_entropy(p, t, reduction: reduction));
        AssertClose(b.GetProperty("bce_weighted"), r, functional.binary_cross_entropy(p, t, w, reduction));
        AssertClose(b.GetProperty("logits_plain"), r, functional.binary_cross_entropy_with_logits(F(b, "logits"), t, reduction: reduction));
        AssertClose(b.GetProperty("logits_weighted"), r, functional.binary_cross_entropy_with_logits(F(b, "logits"), t, w, reduction, pos_weight: F(b, "pos_weight")));
    }

    [Fact]
    public void Losses_report_bad_input_with_libtorch_messages()
    {
        using var scope = NewDisposeScope();
        var logits = zeros(4, 3);
        var error = Assert.Throws<TorchException>(() => functional.cross_entropy(logits, tensor(new long[] { 0, 1 })));
        Assert.Contains("batch_size (4)", error.Message);
        Assert.Throws<TorchException>(() => functional.cross_entropy(logits, tensor(new long[] { 0, 1, 2, 7 })));
        Assert.Throws<ArgumentOutOfRangeException>(() => functional.cross_entropy(logits, zeros(new long[] { 4 }, int64), label_smoothing: 1.5));
        Assert.Throws<TorchException>(() => functional.binary_cross_entropy(full([2], 0.5), zeros(3)));
        Assert.Throws<TorchException>(() => functional.linear(zeros(2, 3), zeros(4, 5)));
    }
}
