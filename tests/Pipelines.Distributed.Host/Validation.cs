using System.Globalization;
using Pipelines.Data;
using TorchSharp;

namespace Pipelines.Distributed.Host;

/// <summary>The "validate" mode: validation metrics on one or several ranks.</summary>
internal static class Validation
{
    public static int Run(string output, bool dataParallel, DataShard launcher)
    {
        if (dataParallel)
            _ = ProcessGroup.World;
        torch.manual_seed(3);
        using var inputs = torch.randn(1000, 8);
        using var targets = inputs.narrow(1, 0, 3).argmax(1);
        using var data = new BatchLoader(inputs, targets, new BatchLoaderOptions { BatchSize = 50 });
        torch.manual_seed(4);
        using var pipeline = new ClassifierPipeline();
        var metrics = pipeline.Validate(data);
        if (launcher.Rank == 0)
            File.WriteAllLines(output, [.. new[] { metrics.Accuracy, metrics.Loss, metrics.F1 }.Select(v => v!.Value.ToString("R", CultureInfo.InvariantCulture))]);
        return 0;
    }
}
