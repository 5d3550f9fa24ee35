using System.Globalization;
using TorchSharp.Modules;
using TorchSharp.PyBridge;

namespace Pipelines.Runtime.Tests.Integration;

/// <summary>A pipeline's model, fine-tuned through the generated loop, between PyTorch's own .pth files (docs/checkpoints.md).</summary>
[Pipeline]
public sealed partial class FineTuning : IDisposable
{
    [Model] readonly Linear model = nn.Linear(4, 3);
    [Optimizer] readonly SGD optimizer;

    /// <summary>The model and SGD over its parameters.</summary>
    public FineTuning() => optimizer = optim.SGD(model.parameters(), 0.05);

    /// <summary>The pipeline's model, an ordinary TorchSharp module.</summary>
    public Linear Model => model;

    [TrainingStep]
    Tensor Train(Batch batch) => nn.functional.mse_loss(model.call(batch.Input), batch.Target);

    /// <summary>Frees the model and the optimizer.</summary>
    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}

/// <summary>
/// TorchSharp.PyBridge serves what Pipelines' checkpoints do not: PyTorch's zip-pickle files. A
/// state dict that PyTorch saved loads into a pipeline's model, trains through <c>Fit</c>, and
/// what PyBridge writes back loads in PyTorch with the values the C# model holds.
/// </summary>
public sealed class PyBridgeTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("pipelines-pybridge-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    static float[] Values(Tensor tensor)
    {
        using var host = tensor.detach().cpu();
        return host.data<float>().ToArray();
    }

    static float[] Parse(string line) => line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    [SkippableFact]
    public void PyTorch_weights_load_fine_tune_through_a_pipeline_and_go_back_to_PyTorch()
    {
        Skip.IfNot(PythonTorch.Available, PythonTorch.SkipReason);
        var imported = Path.Combine(directory, "pretrained.pth");
        var exported = Path.Combine(directory, "finetuned.pth");
        var pretrained = PythonTorch.Run("""
            import sys, torch
            torch.manual_seed(0)
            net = torch.nn.Linear(4, 3)
            torch.save(net.state_dict(), sys.argv[1])
            print(",".join(repr(v) for v in net.weight.detach().flatten().tolist()))
            """, imported).Trim();

        using var pipeline = new FineTuning();
        var before = pipeline.Model.parameters().ToList();
        pipeline.Model.load_py(imported);
        Assert.Equal(before, pipeline.Model.parameters(), ReferenceEqualityComparer.Instance);
        Assert.Equal(Parse(pretrained), Values(pipeline.Model.weight!));
        // PyBridge 1.4.4 loads under no_grad, and TorchSharp 0.107.0's load_state_dict then leaves the
        // parameters (the same objects, so the optimizer still holds them) without requires_grad.
        Assert.All(pipeline.Model.parameters(), p => Assert.False(p.requires_grad));
        foreach (var parameter in pipeline.Model.parameters())
            parameter.requires_grad_(true);

        manual_seed(1);
        using var inputs = randn(64, 4);
        using var targets = randn(64, 3);
        using var data = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 16 });
        pipeline.Fit(data, options: new FitOptions { MaxEpochs = 2 });
        var tuned = Values(pipeline.Model.weight!);
        Assert.NotEqual(Parse(pretrained), tuned);

        pipeline.Model.save_py(exported);
        var reloaded = PythonTorch.Run("""
            import sys, torch
            net = torch.nn.Linear(4, 3)
            net.load_state_dict(torch.load(sys.argv[1]))
            print(",".join(repr(v) for v in net.weight.detach().flatten().tolist()))
            """, exported).Trim();
        Assert.Equal(tuned, Parse(reloaded));
    }
}
