using Pipelines.Torch.Modules;
using static Pipelines.Torch.Tests.Golden;
using static Pipelines.Torch.torch.nn;

namespace Pipelines.Torch.Tests;

/// <summary>
/// Whole networks with PyTorch's weights (golden/networks.json): forward values, loss and the
/// gradient of every parameter must match PyTorch's for the same inputs.
/// </summary>
public class GradientTests
{
    static void AssertGradients(System.Text.Json.JsonElement net, Module model, double atol = 1e-5)
    {
        var expected = net.GetProperty("grads");
        var names = new List<string>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            names.Add(name);
            using var grad = parameter.grad;
            Assert.NotNull(grad);
            AssertClose(expected.GetProperty(name), grad, atol, 1e-4, name);
        }
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name), names);
    }

    [Fact]
    public void Mlp_loss_and_gradients_match_pytorch()
    {
        using var scope = NewDisposeScope();
        var net = Network("mlp");
        using var model = Sequential(Linear(4, 8), ReLU(), Linear(8, 3));
        model.load_state_dict(State(net));

        var loss = functional.cross_entropy(model.call(F(net, "x")), L(net, "y"));
        AssertClose(net.GetProperty("loss").GetDouble(), loss);
        loss.backward();
        AssertGradients(net, model);
    }

    [Fact]
    public void Cnn_with_batch_norm_matches_pytorch_in_training_and_evaluation()
    {
        using var scope = NewDisposeScope();
        var net = Network("cnn");
        using var model = Sequential(Conv2d(1, 4, 3, padding: 1), BatchNorm2d(4), ReLU(), MaxPool2d(2), Flatten(), Linear(4 * 3 * 3, 5));
        model.load_state_dict(State(net));

        var x = F(net, "x");
        var loss = functional.cross_entropy(model.call(x), L(net, "y"));
        AssertClose(net.GetProperty("loss").GetDouble(), loss);
        loss.backward();
        AssertGradients(net, model);

        // The training forward moved the running statistics exactly as PyTorch's did.
        var after = net.GetProperty("state_after");
        foreach (var (key, value) in model.state_dict())
            AssertClose(after.GetProperty(key), value, what: key);

        model.eval();
        using var noGrad = no_grad();
        AssertClose(net, "eval_out", model.call(x));
    }

    [Fact]
    public void Bidirectional_two_layer_lstm_matches_pytorch_outputs_and_gradients()
    {
        using var scope = NewDisposeScope();
        var net = Network("lstm");
        using var lstm = LSTM(3, 4, num_layers: 2, batch_first: true, bidirectional: true);
        lstm.load_state_dict(State(net));

        var x = F(net, "x");
        var (output, (h_n, c_n)) = lstm.call(x, (F(net, "h0"), F(net, "c0")));
        AssertClose(net, "out", output);
        AssertClose(net, "hn", h_n);
        AssertClose(net, "cn", c_n);
        (output.pow(2).sum() + h_n.sum() + c_n.mean()).backward();
        AssertGradients(net, lstm, atol: 2e-5);

        var (fromZeros, (h, c)) = lstm.call(x);
        AssertClose(net, "out_zero", fromZeros);
        AssertClose(net, "hn_zero", h);
        AssertClose(net, "cn_zero", c);
    }

    [Fact]
    public void Two_layer_gru_matches_pytorch_batched_and_unbatched()
    {
        using var scope = NewDisposeScope();
        var net = Network("gru");
        using var gru = GRU(3, 5, num_layers: 2);
        gru.load_state_dict(State(net));

        var (output, h_n) = gru.call(F(net, "x"), F(net, "h0"));
        AssertClose(net, "out", output);
        AssertClose(net, "hn", h_n);
        output.sum().backward();
        AssertGradients(net, gru);

        var (single, h) = gru.call(F(net, "x_unbatched"));
        AssertClose(net, "out_unbatched", single);
        AssertClose(net, "hn_unbatched", h);
    }

    [Fact]
    public void Recurrent_nets_reject_mismatched_initial_states()
    {
        using var scope = NewDisposeScope();
        using var lstm = LSTM(3, 4);
        Assert.Throws<TorchException>(() => lstm.call(zeros(5, 2, 3), (zeros(1, 2, 7), zeros(1, 2, 4))));
        Assert.Throws<TorchException>(() => lstm.call(zeros(5, 2, 2)));
        using var gru = GRU(3, 4);
        Assert.Throws<TorchException>(() => gru.call(zeros(5, 2, 3), zeros(2, 2, 4)));
    }
}
