using Pipelines.Generators.Model;
using Pipelines.Rules;

namespace Pipelines.Generators.Emit;

/// <summary>How <c>Fit</c> ends: interrupted (no end events), terminated, completed; and a failure.</summary>
internal static class RunEndEmitter
{
    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        w.Line("if (run.Interrupted)").Open();
        w.Line("// Cancelled (the token, Ctrl-C): a checkpoint that resumes exactly here; the run is not over, so no Terminated or Completed");
        w.Line("checkpoints?.Interrupted();");
        w.Line("return new " + FitShape.Result + "(metrics, hyperparameters, run);");
        w.Close();
        w.Line("if (run.TerminateRequested)").Open();
        HandlerEmitter.Emit(w, p, LoopPlace.RunTerminated);
        w.Close();
        HandlerEmitter.Emit(w, p, LoopPlace.RunCompleted);
    }

    /// <summary>Closes the <c>try</c> around the run with the catch that runs the failure handlers and trainer callbacks and rethrows (a cancellation is not a failure).</summary>
    public static void EmitFailure(IndentedWriter w, PipelineModel p)
    {
        w.Close();
        w.Line("catch (" + TypeNames.Exception + " exception) when (exception is not " + TypeNames.OperationCanceledException + " || !cancellationToken.IsCancellationRequested)");
        w.Open();
        w.Line("run.Fail(exception);");
        HandlerEmitter.Emit(w, p, LoopPlace.RunFailed);
        w.Line("throw;");
        w.Close();
    }
}
