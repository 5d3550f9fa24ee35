using System.Globalization;
using Pipelines.Core;
using Pipelines.Data;
using Pipelines.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.CommandLine;

/// <summary>
/// How a run trains, as opposed to what it trains (the [Hyperparameter] members): Lightning's
/// <c>--trainer.*</c> flags. They come from the command line beside the hyperparameters
/// (<c>Hyperparameters.TryParse(args, trainerDefaults, ...)</c>), most of them straight into
/// <see cref="Fit"/>, and <see cref="PrepareRun"/> gives the run its <see cref="FitOptions"/>; they
/// are never recorded or compared as hyperparameters, so resuming with another
/// <c>--run-directory</c> or <c>--device</c> reports no change.
/// </summary>
public sealed record TrainerSettings
{
    /// <summary>
    /// The <see cref="FitOptions"/> that every option but <c>--threads</c> and <c>--find-lr</c>
    /// defaults to and binds into; the members that have no option (<see cref="FitOptions.Checkpoints"/>,
    /// <see cref="FitOptions.GradientClipValue"/>, ...) stay as they are here.
    /// </summary>
    public FitOptions Fit { get; init; } = new();

    /// <summary>libtorch's intra-op threads (0: libtorch's default).</summary>
    public int Threads { get; init; }

    /// <summary>Run the learning-rate range test (Lightning's lr_find) instead of training.</summary>
    public bool FindLr { get; init; }

    /// <summary>
    /// How many validations without improvement the program's early stopping waits (Lightning's
    /// <c>EarlyStopping(patience=...)</c>, given to <c>Fit</c> in <see cref="FitOptions.Callbacks"/>);
    /// null: the program stops no run early. A setting, not a hyperparameter: it decides when
    /// training ends, not what the model or its optimization is.
    /// </summary>
    public int? Patience { get; init; }

    /// <summary>
    /// Where the program reads its data (Lightning's <c>--data.data_dir</c>); null: the program's own
    /// default. A setting, not a hyperparameter: the same files elsewhere train the same model.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// Applies <see cref="Threads"/> to libtorch, seeds libtorch's CPU and CUDA generators with
    /// <see cref="FitOptions.Seed"/> when it is set (Lightning's <c>seed_everything</c>: what the
    /// program draws next, a data split and the models' initial weights, is the same in every run
    /// with that seed; <c>Fit</c> seeds again before training), and gives the run <see cref="Fit"/>, with
    /// <paramref name="output"/> (when given) for the callbacks' lines, the CPU when no device was
    /// given, and <c>runs/yyyyMMdd-HHmmss</c> of now when no run directory was. A program that MPI's
    /// launcher started several times (<c>mpiexec.mpich -n N</c>, <see cref="DataShard.Launcher"/>)
    /// trains with <see cref="TrainingStrategy.Ddp"/> (Lightning picks ddp the same way in an MPI
    /// environment), every rank takes rank 0's start time for the run directory, and a <c>cuda</c> device
    /// with no index becomes the GPU of the rank's local rank.
    /// </summary>
    public FitOptions PrepareRun(TextWriter? output = null)
    {
        if (Threads > 0)
            set_num_threads(Threads);
        if (Fit.Seed is { } seed)
            RandomSeeds.SeedAll(seed);
        var launched = DataShard.Launcher.WorldSize > 1;
        return Fit with
        {
            Device = RankDevice(Fit.Device ?? CPU, launched ? Environment.GetEnvironmentVariable("MPI_LOCALRANKID") : null),
            RunDirectory = Fit.RunDirectory ?? Path.Combine("runs", StartTime(launched).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)),
            Output = output ?? Fit.Output,
            Strategy = launched ? TrainingStrategy.Ddp : Fit.Strategy,
        };
    }

    /// <summary>
    /// A CUDA device with no index, in a job MPICH's launcher started (which sets <c>MPI_LOCALRANKID</c>, the
    /// rank's number on its machine), becomes that GPU: one process per GPU, as Lightning's ddp places them.
    /// Any other device, or no launcher, stays as given.
    /// </summary>
    internal static Device RankDevice(Device device, string? localRank) =>
        device.type == DeviceType.CUDA && device.index < 0
            && int.TryParse(localRank, NumberStyles.None, CultureInfo.InvariantCulture, out var local)
            ? new Device(DeviceType.CUDA, local)
            : device;

    // Now, or in a launched job rank 0's now (whole seconds, exact in a double), so that every rank names the same directory.
    static DateTime StartTime(bool launched)
    {
        var now = DateTime.Now;
        if (!launched)
            return now;
        var world = ProcessGroup.World;
        double[] seconds = [world.Rank == 0 ? Math.Floor((now - DateTime.UnixEpoch).TotalSeconds) : 0];
        world.SumOverRanks(seconds);
        return DateTime.UnixEpoch.AddSeconds(seconds[0]);
    }
}
