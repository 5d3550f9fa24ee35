using System.Runtime.InteropServices;

namespace Pipelines.Runtime.Tests;

/// <summary>
/// TorchSharp 0.107.0's optimizers pass temporary scalars to libtorch that a garbage collection can
/// free while the call is in flight (docs/reliability.md, "Known limitation"; TorchSharp PRs #1434
/// and #1496). A test that runs thousands of optimizer steps retries once when libtorch reports
/// that race (its error names <c>Scalar.h</c>); any other failure, and the same race twice, fails.
/// </summary>
internal static class ScalarRace
{
    public static void RetryOnce(Action test)
    {
        try
        {
            test();
        }
        catch (ExternalException e) when (e.Message.Contains("c10/core/Scalar.h", StringComparison.Ordinal))
        {
            Console.WriteLine("TorchSharp's temporary-scalar race hit this run (" + e.Message.Split('\n')[0] + "); running the test once more.");
            test();
        }
    }
}
