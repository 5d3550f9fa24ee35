using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Engine;

/// <summary>
/// FitOptions.Device and TorchSharp's Module.to, which replaces parameters rather than moving them
/// in place. The "meta" device (shapes without storage) stands in for a second device here.
/// </summary>
public sealed class DeviceMovesTests
{
    static readonly Device Meta = new(DeviceType.META, -1);

    [Fact]
    public void A_model_already_on_the_device_is_left_alone_and_its_optimizer_keeps_its_parameters()
    {
        using var model = nn.Linear(3, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var before = model.parameters().ToList();

        DeviceMoves.MoveModel(model, "model", CPU, optimizer);

        Assert.Equal(before, model.parameters(), ReferenceEqualityComparer.Instance);
        Assert.Equal(before, optimizer.parameters(), ReferenceEqualityComparer.Instance);
    }

    [Fact]
    public void A_move_that_would_strand_an_optimizer_is_refused_with_what_to_do()
    {
        using var model = nn.Linear(3, 2);
        using var optimizer = optim.AdamW(model.parameters());

        var error = Assert.Throws<InvalidOperationException>(() => DeviceMoves.MoveModel(model, "net", Meta, optimizer));

        Assert.Contains("[Model] net", error.Message);
        Assert.Contains("Build the optimizer in a [ConfigureOptimizers] method", error.Message);
        Assert.All(model.parameters(), p => Assert.Equal(DeviceType.CPU, p.device_type));
    }

    [Fact]
    public void A_model_no_optimizer_holds_moves()
    {
        using var model = nn.Linear(3, 2);
        using var other = nn.Linear(3, 2);
        using var unrelated = optim.SGD(other.parameters(), 0.1);

        DeviceMoves.MoveModel(model, "model", Meta, unrelated);

        Assert.All(model.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
    }
}
