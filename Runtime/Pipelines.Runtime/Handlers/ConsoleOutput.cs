using Spectre.Console;

namespace Pipelines.Handlers;

/// <summary>Decides between live and plain rendering, and makes Spectre.Console consoles over a writer.</summary>
internal static class ConsoleOutput
{
    static readonly string[] CiVariables = ["CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "BUILDKITE", "TEAMCITY_VERSION"];

    /// <summary>Whether standard output is an interactive terminal: not redirected, not in CI (CI, GITHUB_ACTIONS, TF_BUILD, ... set) and TERM is not "dumb".</summary>
    public static bool IsInteractive()
    {
        if (Console.IsOutputRedirected)
            return false;
        foreach (var name in CiVariables)
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
                return false;
        return Environment.GetEnvironmentVariable("TERM") != "dumb";
    }

    /// <summary>Resolves <see cref="ProgressMode.Auto"/> against <see cref="IsInteractive"/>; a writer other than the console is always plain under Auto.</summary>
    public static ProgressMode Resolve(ProgressMode mode, TextWriter? output) => mode switch
    {
        ProgressMode.Auto => output is null && IsInteractive() ? ProgressMode.Live : ProgressMode.Plain,
        _ => mode,
    };

    /// <summary>A Spectre.Console console writing to <paramref name="output"/> (standard output when null), with colours only when <paramref name="live"/>.</summary>
    public static IAnsiConsole Create(TextWriter? output, bool live) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output ?? Console.Out),
        Ansi = live ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = live ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = live ? InteractionSupport.Detect : InteractionSupport.No,
    });
}
