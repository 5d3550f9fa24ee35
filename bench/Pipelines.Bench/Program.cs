// Benchmarks, run by bench/*.sh (see bench/README.md). Usage: Pipelines.Bench training-step [rounds] [iterations] [threads]
using System.Diagnostics;
using System.Globalization;
using Pipelines.Torch;
using static Pipelines.Torch.torch;

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

switch (args.FirstOrDefault())
{
    case "training-step":
        Console.WriteLine(TrainingStep(Arg(1, 30), Arg(2, 2000), Arg(3, 1)).ToString("F3", CultureInfo.InvariantCulture));
        return 0;
    default:
        Console.Error.WriteLine("usage: Pipelines.Bench training-step [rounds] [iterations] [threads]");
        return 2;
}

// The same step as bench/native/training_step.cpp: Linear(16 -> 4), MSE, SGD, batch 32, one
// dispose scope per iteration. Returns the median microseconds per iteration.
static double TrainingStep(int rounds, int iterations, int threads)
{
    set_num_threads(threads);
    manual_seed(0);
    using var model = nn.Linear(16, 4);
    using var optimizer = optim.SGD(model.parameters(), lr: 0.01);
    using var x = randn(32, 16);
    using var y = randn(32, 4);

    void Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var loss = nn.functional.mse_loss(model.call(x), y);
        loss.backward();
        optimizer.step();
    }

    for (var i = 0; i < iterations; i++)
        Step();
    var perIteration = new double[rounds];
    for (var r = 0; r < rounds; r++)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
            Step();
        perIteration[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / iterations;
    }
    Array.Sort(perIteration);
    return perIteration[rounds / 2];
}
