using System.Globalization;
using Pipelines.Bench.Reliability;

// bench/reliability.sh runs both: "soak [iterations]" and "checksums [rounds]".
return args switch
{
    ["soak", .. var rest] => Soak.Run(rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 20_000),
    ["checksums", .. var rest] => ChecksumCost.Run(rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 21),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Pipelines.Bench.Reliability soak [iterations] | checksums [rounds]");
    return 2;
}
