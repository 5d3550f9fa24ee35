using System.Runtime.InteropServices;

namespace Pipelines.Runtime.Tests;

/// <summary>
/// TorchSharp 0.107.0's optimizers pass temporary scalars to libtorch that a garbage collection can
/// free while the call is in flight (docs/reliability.md, "Known limitation"; TorchSharp PRs #1434
/// and #1496). A test that runs thousands of optimizer steps runs again, at most
/// <see cref="Attempts"/> times in all, when libtorch reports that race (its error names
/// <c>Scalar.h</c>); any other failure, and the race on every attempt, fails.
/// </summary>
internal static class ScalarRace
{
    /// <summary>How many times a test runs at most: under heavy load the race was seen twice in a row.</summary>
    const int Attempts = 3;

    public static void Retry(Action test)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                test();
                return;
            }
            catch (ExternalException e) when (attempt < Attempts && e.Message.Contains("c10/core/Scalar.h", StringComparison.Ordinal))
            {
                Console.WriteLine($"TorchSharp's temporary-scalar race hit attempt {attempt} of {Attempts} ({e.Message.Split('\n')[0]}); running the test again.");
            }
        }
    }
}
