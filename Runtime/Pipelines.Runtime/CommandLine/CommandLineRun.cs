namespace Pipelines.CommandLine;

/// <summary>
/// The end of a command-line program: a failed run is one line naming what went wrong (the file,
/// option, tensor or member the exception's message names) and exit code 1, never a stack trace.
/// Set <c>PIPELINES_STACK_TRACE=1</c> to let the exception through when debugging Pipelines itself.
/// </summary>
public static class CommandLineRun
{
    /// <summary>The exit code of a run that failed.</summary>
    public const int Failed = 1;

    /// <summary>Runs <paramref name="run"/> and returns its exit code, or writes <c>error: message</c> to <paramref name="error"/> and returns <see cref="Failed"/>.</summary>
    public static int Catch(TextWriter error, Func<int> run)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(run);
        if (Environment.GetEnvironmentVariable("PIPELINES_STACK_TRACE") == "1")
            return run();
        try
        {
            return run();
        }
        catch (Exception exception)
        {
            error.WriteLine("error: " + Message(exception));
            return Failed;
        }
    }

    // An exception that only wraps another (a type initializer, a target invocation) says nothing itself.
    static string Message(Exception exception) =>
        exception is TypeInitializationException or System.Reflection.TargetInvocationException or AggregateException && exception.InnerException is { } inner
            ? Message(inner)
            : exception.Message;
}
