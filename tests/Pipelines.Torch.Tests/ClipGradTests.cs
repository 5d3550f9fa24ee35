using static Pipelines.Torch.Tests.TestParameters;

namespace Pipelines.Torch.Tests;

public class ClipGradTests
{
    [Fact]
    public void Clip_grad_norm_scales_to_max_norm_and_returns_the_total_norm()
    {
        var a = Make([1.0, 2.0]);
        var b = Make([0.0, 0.0, 0.0]);
        SetGrad(a, [3.0, 4.0]);
        SetGrad(b, [0.0, 12.0, 0.0]);
        var total = Math.Sqrt(3 * 3 + 4 * 4 + 12 * 12); // 13
        using var norm = nn.utils.clip_grad_norm_([a, b], max_norm: 1.0);
        Assert.Equal(total, norm.item<double>(), 12);
        var coef = 1.0 / (total + 1e-6);
        using var ga = a.grad!;
        using var gb = b.grad!;
        Assert.Equal(new[] { 3 * coef, 4 * coef }, ga.ToArray<double>(), new ToleranceComparer(1e-12));
        Assert.Equal(new[] { 0, 12 * coef, 0 }, gb.ToArray<double>(), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Clip_grad_norm_leaves_small_gradients_alone_and_skips_missing_ones()
    {
        var a = Make([1.0, 2.0]);
        var noGrad = Make([5.0]);
        SetGrad(a, [0.3, 0.4]);
        using var norm = nn.utils.clip_grad_norm_([a, noGrad], max_norm: 1.0);
        Assert.Equal(0.5, norm.item<double>(), 12);
        using var g = a.grad!;
        Assert.Equal(new[] { 0.3, 0.4 }, g.ToArray<double>());
        Assert.Null(noGrad.grad);
    }

    [Fact]
    public void Clip_grad_norm_supports_other_norms()
    {
        var a = Make([1.0, 2.0, 3.0]);
        SetGrad(a, [-6.0, 2.0, 3.0]);
        using (var inf = nn.utils.clip_grad_norm_([a], max_norm: 100, norm_type: double.PositiveInfinity))
            Assert.Equal(6.0, inf.item<double>());
        using (var l1 = nn.utils.clip_grad_norm_([a], max_norm: 100, norm_type: 1))
            Assert.Equal(11.0, l1.item<double>(), 12);
        using var none = nn.utils.clip_grad_norm_([Make([1.0])], max_norm: 1);
        Assert.Equal(0.0, none.item<double>());
    }

    [Fact]
    public void Clip_grad_norm_refuses_a_nonfinite_norm_when_asked_and_scales_nothing()
    {
        var a = Make([1.0, 2.0]);
        SetGrad(a, [double.NaN, 4.0]);
        var error = Assert.Throws<TorchException>(() => nn.utils.clip_grad_norm_([a], max_norm: 1.0, error_if_nonfinite: true));
        Assert.Contains("non-finite", error.Message);
        using var g = a.grad!;
        Assert.Equal(4.0, g.ToArray<double>()[1]);
    }

    [Fact]
    public void Clip_grad_value_clamps_every_gradient()
    {
        var a = Make([1.0, 2.0, 3.0]);
        SetGrad(a, [-6.0, 0.5, 3.0]);
        nn.utils.clip_grad_value_([a], 1.0);
        using var g = a.grad!;
        Assert.Equal(new[] { -1.0, 0.5, 1.0 }, g.ToArray<double>());
    }

    sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
