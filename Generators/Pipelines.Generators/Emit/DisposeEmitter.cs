using System.Linq;
using Pipelines.Generators.Model;

namespace Pipelines.Generators.Emit;

/// <summary>
/// <c>Dispose</c>: the pipeline's disposable models, optimizers, metrics and callbacks, in reverse
/// declaration order. Emitted unless the class declares a <c>Dispose()</c> of its own.
/// </summary>
internal static class DisposeEmitter
{
    public static bool CanEmit(PipelineModel p) => !p.Declares(UserDeclarations.Dispose) && p.Members.Disposables.Count > 0 && p.Type.Kind == DeclarationKind.Class;

    public static void Emit(IndentedWriter w, PipelineModel p)
    {
        w.Line("/// <summary>Disposes what the pipeline owns, last declared first: " + string.Join(", ", p.Members.Disposables) + ".</summary>");
        w.Line("public void Dispose()");
        w.Open();
        foreach (var member in p.Members.Disposables.Reverse())
            w.Line("this." + member + "?.Dispose();");
        w.Close();
    }
}
