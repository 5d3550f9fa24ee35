using System.Globalization;

namespace Pipelines.Bench.Reliability;

/// <summary>The process's resident set (VmRSS in /proc/self/status): native and managed memory together.</summary>
internal static class ProcessMemory
{
    public static double ResidentMiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        throw new InvalidOperationException("/proc/self/status has no VmRSS line");
    }
}
