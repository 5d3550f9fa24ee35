using Pipelines.Torch.Modules;
using static Pipelines.Torch.Tests.Golden;
using static Pipelines.Torch.torch.nn;

namespace Pipelines.Torch.Tests;

/// <summary>Built-in modules: PyTorch's names, initialisation, state dicts, modes and moves.</summary>
public class ModuleTests
{
    static Sequential Mlp() => Sequential(Linear(4, 8), ReLU(), Linear(8, 3));

    [Fact]
    public void State_dict_keys_match_pytorch_for_sequential_conv_batch_norm_lstm_and_gru()
    {
        using var scope = NewDisposeScope();
        using var mlp = Mlp();
        using var cnn = Sequential(Conv2d(1, 4, 3, padding: 1), BatchNorm2d(4), ReLU(), MaxPool2d(2), Flatten(), Linear(4 * 3 * 3, 5));
        using var lstm = LSTM(3, 4, num_layers: 2, batch_first: true, bidirectional: true);
        using var gru = GRU(3, 5, num_layers: 2);
        Assert.Equal(Keys(Network("mlp")), mlp.state_dict().Keys);
        Assert.Equal(Keys(Network("cnn")), cnn.state_dict().Keys);
        Assert.Equal(Keys(Network("lstm")), lstm.state_dict().Keys);
        Assert.Equal(Keys(Network("gru")), gru.state_dict().Keys);
        // Strict loading of PyTorch's state dicts also proves every shape matches.
        cnn.load_state_dict(State(Network("cnn")));
        lstm.load_state_dict(State(Network("lstm")));
    }

    [Fact]
    public void Named_sequential_and_append_name_children_like_pytorch()
    {
        using var scope = NewDisposeScope();
        using var model = Sequential(("fc", Linear(2, 3)), ("act", ReLU()));
        model.append(Linear(3, 1));
        Assert.Equal(new[] { "fc.weight", "fc.bias", "2.weight", "2.bias" }, model.state_dict().Keys);
        Assert.Equal(3, model.Count);
        Assert.IsType<ReLU>(model[1]);
        Assert.Equal(new long[] { 4, 1 }, model.call(ones(4, 2)).shape);
        using var empty = Sequential();
        Assert.Empty(empty.parameters());
    }

    [Fact]
    public void Load_state_dict_names_missing_unexpected_and_mismatched_keys_and_copies_nothing_on_error()
    {
        using var scope = NewDisposeScope();
        using var model = Mlp();
        var before = model.state_dict()["0.weight"].clone();

        var state = State(Network("mlp"));
        state.Remove("2.bias");
        state["3.weight"] = zeros(1);
        state["0.weight"] = zeros(8, 5);
        var error = Assert.Throws<ArgumentException>(() => model.load_state_dict(state));
        Assert.Contains("missing key(s): 2.bias", error.Message);
        Assert.Contains("unexpected key(s): 3.weight", error.Message);
        Assert.Contains("size mismatch for 0.weight", error.Message);
        Assert.Contains("[8, 5]", error.Message);
        Assert.Contains("[8, 4]", error.Message);
        Assert.True(model.state_dict()["0.weight"].equal(before));

        // Non-strict loading tolerates missing and unexpected keys, never a shape mismatch.
        state["0.weight"] = full([8, 4], 0.25);
        model.load_state_dict(state, strict: false);
        Assert.True(model.state_dict()["0.weight"].equal(full([8, 4], 0.25)));
    }

    [Fact]
    public void Train_and_eval_switch_dropout()
    {
        using var scope = NewDisposeScope();
        using var model = Sequential(Linear(10, 10), Dropout(0.5));
        var x = ones(64, 10);
        model.eval();
        Assert.All(model.modules(), m => Assert.False(m.training));
        Assert.True(model.call(x).equal(model.call(x)));
        model.train();
        Assert.All(model.modules(), m => Assert.True(m.training));
        var dropped = model.call(x).eq(0).sum().item<long>();
        Assert.InRange(dropped, 100, 540);
    }

    [Fact]
    public void Batch_norm_tracks_statistics_in_training_and_uses_them_in_evaluation()
    {
        using var scope = NewDisposeScope();
        using var bn = BatchNorm1d(3);
        var x = randn(16, 3) * 2 + 1;
        var batchMean = x.mean(0L);
        var batchVar = x.var(0);

        var trained = bn.call(x);
        AssertAllClose(batchMean * 0.1, bn.running_mean!);
        AssertAllClose(batchVar * 0.1 + 0.9, bn.running_var!);
        Assert.Equal(1L, bn.num_batches_tracked!.item<long>());
        AssertAllClose(zeros(3), trained.mean(0L), 1e-5);

        bn.eval();
        var rm = bn.running_mean!.clone();
        var evaluated = bn.call(x);
        AssertAllClose((x - rm) / (bn.running_var! + 1e-5).sqrt(), evaluated);
        Assert.True(bn.running_mean!.equal(rm));
        Assert.Equal(1L, bn.num_batches_tracked!.item<long>());

        Assert.Throws<ArgumentException>(() => bn.call(zeros(2, 3, 4, 5)));
        bn.train();
        var error = Assert.Throws<TorchException>(() => bn.call(ones(1, 3)));
        Assert.Contains("more than 1 value per channel", error.Message);
    }

    [Fact]
    public void Batch_norm_without_momentum_keeps_a_cumulative_average()
    {
        using var scope = NewDisposeScope();
        using var bn = BatchNorm2d(2, momentum: null);
        var a = randn(4, 2, 3, 3);
        var b = randn(4, 2, 3, 3) + 3;
        bn.call(a);
        bn.call(b);
        AssertAllClose((a.mean([0, 2, 3]) + b.mean([0, 2, 3])) / 2, bn.running_mean!);
        Assert.Equal(2L, bn.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void Moving_to_float64_keeps_parameter_identity()
    {
        using var scope = NewDisposeScope();
        using var model = Sequential(Linear(3, 4), BatchNorm1d(4));
        var before = model.parameters().ToList();
        var values = before.Select(p => p.to(float64)).ToList();
        model.to(float64);
        var after = model.parameters().ToList();
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Same(before[i], after[i]);
            Assert.Equal(ScalarType.Float64, after[i].dtype);
            Assert.True(after[i].requires_grad);
            Assert.True(after[i].equal(values[i]));
        }
        var bn = (BatchNorm1d)model[1];
        Assert.Equal(ScalarType.Float64, bn.running_mean!.dtype);
        Assert.Equal(ScalarType.Int64, bn.num_batches_tracked!.dtype);
        Assert.Equal(ScalarType.Float64, model.call(ones(new long[] { 2, 3 }, float64)).dtype);
    }

    [Fact]
    public void Default_initialisation_follows_pytorch()
    {
        using var scope = NewDisposeScope();
        using var linear = Linear(100, 50);
        AssertUniform(linear.weight, 0.1);
        AssertUniform(linear.bias!, 0.1);

        using var conv = Conv2d(3, 8, 3);
        Assert.Equal(new long[] { 8, 3, 3, 3 }, conv.weight.shape);
        AssertUniform(conv.weight, 1 / Math.Sqrt(27));

        using var grouped = Conv1d(4, 6, 5, groups: 2, hasBias: false);
        Assert.Equal(new long[] { 6, 2, 5 }, grouped.weight.shape);
        Assert.Null(grouped.bias);
        Assert.Equal(new[] { "weight" }, grouped.state_dict().Keys);

        using var bn = BatchNorm2d(5);
        Assert.True(bn.weight!.equal(ones(5)));
        Assert.True(bn.bias!.equal(zeros(5)));
        Assert.True(bn.running_var!.equal(ones(5)));

        using var ln = LayerNorm([2, 3]);
        Assert.True(ln.weight!.equal(ones(2, 3)));

        using var embedding = Embedding(1000, 8, padding_idx: -2);
        Assert.Equal(998L, embedding.padding_idx);
        Assert.True(embedding.weight.select(0, 998).equal(zeros(8)));
        Assert.InRange(embedding.weight.std().item<float>(), 0.9, 1.1);

        using var lstm = LSTM(3, 16, num_layers: 2, bidirectional: true);
        Assert.Equal(16, lstm.parameters().Count());
        foreach (var p in lstm.parameters())
            AssertUniform(p, 0.25);
        Assert.Equal(new long[] { 64, 32 }, lstm.named_parameters().Single(p => p.name == "weight_ih_l1_reverse").parameter.shape);

        Assert.Throws<ArgumentException>(() => Conv2d(3, 8, 3, groups: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Embedding(4, 2, padding_idx: 4));
    }

    [Fact]
    public void Modules_created_inside_a_dispose_scope_outlive_it()
    {
        Sequential model;
        using (NewDisposeScope())
            model = Sequential(Conv2d(1, 2, 3), BatchNorm2d(2), Flatten(), Linear(2 * 4 * 4, 3));
        using (model)
        using (NewDisposeScope())
        {
            Assert.Equal(new long[] { 2, 3 }, model.call(randn(2, 1, 6, 6)).shape);
            Assert.All(model.state_dict().Values, t => Assert.False(t.IsInvalid));
        }
    }

    [Fact]
    public void Layer_modules_match_their_functional_forms()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 8, 8);
        Assert.True(MaxPool2d(2).call(x).equal(functional.max_pool2d(x, 2)));
        Assert.True(MaxPool2d((2, 4), stride: (1, 2)).call(x).equal(functional.max_pool2d(x, [2, 4], [1, 2])));
        Assert.True(AvgPool2d(3, stride: 1, padding: 1).call(x).equal(functional.avg_pool2d(x, 3, 1, 1)));
        Assert.Equal(new long[] { 2, 3, 1, 1 }, AdaptiveAvgPool2d(1).call(x).shape);
        Assert.Equal(new long[] { 2, 192 }, Flatten().call(x).shape);
        Assert.True(Softmax(1).call(x).equal(x.softmax(1)));
        Assert.True(LogSoftmax(-1).call(x).equal(x.log_softmax(-1)));
        Assert.True(GELU("tanh").call(x).equal(functional.gelu(x, "tanh")));
        Assert.True(Tanh().call(x).equal(x.tanh()));
        Assert.True(Sigmoid().call(x).equal(x.sigmoid()));
        Assert.True(SiLU().call(x).equal(x.silu()));
        using var ln = LayerNorm(8);
        Assert.True(ln.call(x).equal(functional.layer_norm(x, [8], ln.weight, ln.bias)));
        using var embedding = Embedding(10, 3);
        Assert.Equal(new long[] { 2, 2, 3 }, embedding.call(tensor(new long[] { 1, 2, 3, 4 }, [2, 2])).shape);
    }

    static void AssertUniform(Tensor values, double bound)
    {
        Assert.InRange(values.abs().max().item<float>(), 1e-4 * bound, bound);
        Assert.InRange(values.std().item<float>(), bound / Math.Sqrt(3) * 0.7, bound / Math.Sqrt(3) * 1.3);
    }

    static void AssertAllClose(Tensor expected, Tensor actual, double atol = 1e-5) =>
        Assert.True(actual.allclose(expected, 1e-4, atol), $"expected {string.Join(", ", expected.ToArray<float>())}, got {string.Join(", ", actual.ToArray<float>())}");
}
