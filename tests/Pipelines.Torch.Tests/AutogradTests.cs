namespace Pipelines.Torch.Tests;

public class AutogradTests
{
    [Fact]
    public void Gradient_of_the_sum_of_squares_is_twice_the_input()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, -2, 3 }, requires_grad: true);
        Assert.True(x.requires_grad);
        Assert.Null(x.grad);
        (x * x).sum().backward();
        Assert.Equal(new float[] { 2, -4, 6 }, x.grad!.ToArray<float>());
    }

    [Fact]
    public void Gradients_accumulate_across_backward_calls_until_zeroed()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2 }, requires_grad: true);
        (x * x).sum().backward();
        (x * 3).sum().backward();
        Assert.Equal(new float[] { 5, 7 }, x.grad!.ToArray<float>());
        x.grad!.zero_();
        Assert.Equal(new float[] { 0, 0 }, x.grad!.ToArray<float>());
        x.pow(3).sum().backward();
        Assert.Equal(new float[] { 3, 12 }, x.grad!.ToArray<float>());
        x.grad = null;
        Assert.Null(x.grad);
    }

    [Fact]
    public void Retain_graph_allows_a_second_backward_through_the_same_graph()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2 }, requires_grad: true);
        var y = (x * x).sum();
        y.backward(retain_graph: true);
        y.backward();
        Assert.Equal(new float[] { 4, 8 }, x.grad!.ToArray<float>());

        var z = (x.exp() * 2).sum();
        z.backward();
        var error = Assert.Throws<TorchException>(() => z.backward());
        Assert.Contains("second time", error.Message);
    }

    [Fact]
    public void Backward_with_an_explicit_gradient_handles_non_scalar_outputs()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        var y = x * x;
        y.backward(tensor(new float[] { 1, 0.5f, 0 }));
        Assert.Equal(new float[] { 2, 2, 0 }, x.grad!.ToArray<float>());
    }

    [Fact]
    public void Gradients_flow_through_matmul_relu_and_broadcasting()
    {
        using var scope = NewDisposeScope();
        var w = tensor(new float[] { 1, -1, 2, 0.5f }, [2, 2], requires_grad: true);
        var b = tensor(new float[] { 0.5f, -10 }, requires_grad: true);
        var x = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        // y = relu(x @ w + b): second column is clamped to zero for both rows.
        x.matmul(w).add(b).relu().sum().backward();
        Assert.Equal(new float[] { 4, 0, 6, 0 }, w.grad!.ToArray<float>());
        Assert.Equal(new float[] { 2, 0 }, b.grad!.ToArray<float>());
    }

    [Fact]
    public void Leaves_are_user_created_and_results_of_ops_are_not()
    {
        using var scope = NewDisposeScope();
        var x = ones([2], requires_grad: true);
        var y = x * 2;
        Assert.True(x.is_leaf);
        Assert.False(y.is_leaf);
        Assert.True(y.requires_grad);
        Assert.True(zeros(2).is_leaf);
        Assert.False(zeros(2).requires_grad);
        Assert.True(zeros(2).requires_grad_().requires_grad);
    }

    [Fact]
    public void Detach_shares_data_but_leaves_the_graph()
    {
        using var scope = NewDisposeScope();
        var x = ones([3], requires_grad: true);
        var d = x.detach();
        Assert.False(d.requires_grad);
        Assert.True(d.is_leaf);
        d.fill_(4);
        Assert.Equal(new float[] { 4, 4, 4 }, x.ToArray<float>());
        var y = x * 2;
        y.detach_();
        Assert.False(y.requires_grad);
        (x * d).sum().backward();
        Assert.Equal(new float[] { 4, 4, 4 }, x.grad!.ToArray<float>());
    }

    [Fact]
    public void No_grad_stops_recording_and_restores_the_previous_mode_when_nested()
    {
        using var scope = NewDisposeScope();
        var x = ones([2], requires_grad: true);
        Assert.True(is_grad_enabled());
        using (no_grad())
        {
            Assert.False(is_grad_enabled());
            Assert.False((x * 2).requires_grad);
            using (no_grad())
                Assert.False(is_grad_enabled());
            Assert.False(is_grad_enabled());
            using (enable_grad())
            {
                Assert.True(is_grad_enabled());
                Assert.True((x * 2).requires_grad);
            }
            Assert.False(is_grad_enabled());
        }
        Assert.True(is_grad_enabled());
        Assert.True((x * 2).requires_grad);
    }

    [Fact]
    public void In_place_updates_of_leaves_under_no_grad_are_allowed()
    {
        using var scope = NewDisposeScope();
        var w = ones([2], requires_grad: true);
        Assert.Throws<TorchException>(() => w.add_(1));
        (w * w).sum().backward();
        using (no_grad())
            w.add_(w.grad!, alpha: -0.25);
        Assert.Equal(new float[] { 0.5f, 0.5f }, w.ToArray<float>());
        Assert.True(w.is_leaf);
    }

    [Fact]
    public void Inference_mode_disables_autograd_and_restores_it()
    {
        using var scope = NewDisposeScope();
        var x = ones([2], requires_grad: true);
        Assert.False(is_inference_mode_enabled());
        using (inference_mode())
        {
            Assert.True(is_inference_mode_enabled());
            Assert.False(is_grad_enabled());
            var y = x * 2;
            Assert.False(y.requires_grad);
            Assert.Equal(new float[] { 2, 2 }, y.ToArray<float>());
            using (inference_mode(false))
                Assert.False(is_inference_mode_enabled());
            Assert.True(is_inference_mode_enabled());
        }
        Assert.False(is_inference_mode_enabled());
        Assert.True(is_grad_enabled());
    }

    [Fact]
    public void Inference_mode_guards_must_end_innermost_first_on_their_thread()
    {
        var outer = inference_mode();
        var inner = inference_mode();
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        Exception? fromOtherThread = null;
        var thread = new Thread(() => fromOtherThread = Record.Exception(() => inner.Dispose()));
        thread.Start();
        thread.Join();
        Assert.IsType<InvalidOperationException>(fromOtherThread);
        inner.Dispose();
        outer.Dispose();
        outer.Dispose();
        Assert.False(is_inference_mode_enabled());
    }

    [Fact]
    public void Assigning_a_gradient_checks_its_shape_and_dtype()
    {
        using var scope = NewDisposeScope();
        var x = ones([2, 3], requires_grad: true);
        x.grad = full([2, 3], 0.5);
        Assert.Equal(3f, x.grad!.sum().item<float>());
        var shape = Assert.Throws<TorchException>(() => x.grad = zeros(3, 2));
        Assert.Contains("[3, 2]", shape.Message);
        Assert.Contains("[2, 3]", shape.Message);
        Assert.Throws<TorchException>(() => x.grad = zeros([2, 3], float64));
        Assert.Equal(3f, x.grad!.sum().item<float>());
    }
}
