using Pipelines.Metrics;
using TorchSharp.Modules;

namespace Pipelines.Runtime.Tests.Handlers;

/// <summary>
/// Drives a <see cref="PipelineRun"/> by hand, as the generated loop does, so that handlers can be
/// tested against real <see cref="PipelineState"/> values without a model.
/// </summary>
internal sealed class RunDriver
{
    public RunDriver(int batchesPerEpoch, int maxEpochs = 100, int accumulate = 1, MetricValues? metrics = null, TextWriter? output = null) =>
        Run = new PipelineRun(new FitOptions { MaxEpochs = maxEpochs, AccumulateGradBatches = accumulate, Output = output }, batchesPerEpoch, 0)
        {
            Metrics = metrics ?? new MetricValues([]),
        };

    public PipelineRun Run { get; }

    public PipelineState State => new(Run);

    public bool StartEpoch() => Run.StartEpoch();

    /// <summary>Runs one iteration with <paramref name="loss"/> (a scalar tensor the caller owns); false at the epoch's end.</summary>
    public bool Iterate(Tensor loss)
    {
        if (!Run.StartIteration())
            return false;
        Run.ReportLoss(loss);
        if (Run.CompleteBackward())
            Run.CompleteOptimizerStep();
        return true;
    }

    /// <summary>SGD over two groups, lr 0.1 and 0.02, as in schedulers_golden.py.</summary>
    public static SGD TwoGroupSgd() =>
        torch.optim.SGD(
            [new SGD.ParamGroup([new Parameter(torch.zeros(2))], new SGD.Options { LearningRate = 0.1 }), new SGD.ParamGroup([new Parameter(torch.zeros(1))], new SGD.Options { LearningRate = 0.02 })],
            learningRate: 0.1);
}
