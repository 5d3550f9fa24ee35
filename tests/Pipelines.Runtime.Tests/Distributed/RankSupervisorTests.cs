using Pipelines.Distributed;

namespace Pipelines.Runtime.Tests.Distributed;

/// <summary>How the rank supervisor reads its child's exit code (the killed-rank test in DataParallelTests runs it under the launcher).</summary>
public sealed class RankSupervisorTests
{
    [Theory]
    [InlineData(137, "9 (SIGKILL, the out-of-memory killer's or a kill -9)")]
    [InlineData(139, "11 (SIGSEGV)")]
    [InlineData(134, "6 (SIGABRT)")]
    [InlineData(143, "15 (SIGTERM)")]
    [InlineData(128 + 35, "35 (SIGRTMIN+1)")]
    public void An_exit_code_above_128_names_the_signal(int exitCode, string expected) =>
        Assert.Equal(expected, RankSupervisor.KilledBy(exitCode));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(128)]
    [InlineData(128 + 65)]
    [InlineData(255)]
    public void An_exit_code_the_process_chose_names_no_signal(int exitCode) => Assert.Null(RankSupervisor.KilledBy(exitCode));
}
