using System.Globalization;
using Pipelines.Logging;
using Pipelines.Runtime.Tests.Handlers;

namespace Pipelines.Runtime.Tests.Logging;

public sealed class CsvLoggerTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("pipelines-csv-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Writes_a_stable_header_and_one_invariant_row_per_logged_step()
    {
        var path = Path.Combine(directory, "logs", "metrics.csv");
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE"); // a decimal comma must not leak in
        try
        {
            using var csv = new CsvLogger(path, ["loss", "val accuracy", "lr"]);
            var run = new RunDriver(batchesPerEpoch: 2);
            using var loss = torch.tensor(1.0);
            run.StartEpoch();
            run.Iterate(loss);
            csv.Log(run.State, 0.5, null, 0.1);
            Assert.Equal("step,epoch,loss,val accuracy,lr\n1,1,0.5,,0.1\n", File.ReadAllText(path)); // flushed per row
            csv.Log(2, 1, 1.0 / 3, 0.875, double.NaN);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
        Assert.Equal(["step,epoch,loss,val accuracy,lr", "1,1,0.5,,0.1", "2,1,0.3333333333333333,0.875,NaN"], File.ReadAllLines(path));
    }

    [Fact]
    public void Appending_continues_a_file_with_the_same_header_and_refuses_another()
    {
        var path = Path.Combine(directory, "metrics.csv");
        using (var csv = new CsvLogger(path, ["loss"]))
            csv.Log(1, 1, 2.0);
        using (var resumed = new CsvLogger(path, ["loss"], append: true))
            resumed.Log(2, 1, 1.5);
        Assert.Equal(["step,epoch,loss", "1,1,2", "2,1,1.5"], File.ReadAllLines(path));
        var error = Assert.Throws<ArgumentException>(() => new CsvLogger(path, ["loss", "accuracy"], append: true));
        Assert.Contains("step,epoch,loss,accuracy", error.Message);
        using (new CsvLogger(path, ["accuracy"]))
        {
        }
        Assert.Equal(["step,epoch,accuracy"], File.ReadAllLines(path));
    }

    [Fact]
    public void Values_must_match_the_declared_columns()
    {
        using var csv = new CsvLogger(Path.Combine(directory, "m.csv"), ["a", "b"]);
        Assert.Throws<ArgumentException>(() => csv.Log(1, 1, 1.0));
        Assert.Throws<ArgumentException>(() => new CsvLogger(Path.Combine(directory, "n.csv"), ["a", "a"]));
        Assert.Throws<ArgumentException>(() => new CsvLogger(Path.Combine(directory, "o.csv"), ["epoch"]));
    }
}
