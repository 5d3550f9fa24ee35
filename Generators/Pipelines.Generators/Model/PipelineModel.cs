using System.Collections.Generic;
using System.Linq;

namespace Pipelines.Generators.Model;

/// <summary>
/// Everything the emitters need about one valid pipeline class, as plain values (no symbols,
/// syntax or locations), so the incremental pipeline can compare it between edits.
/// </summary>
internal sealed record PipelineModel(
    TypeShape Type,
    StepsModel Steps,
    MembersModel Members,
    CheckpointModel Checkpoint,
    EquatableArray<HandlerModel> Handlers,
    EquatableArray<CallbackModel> Callbacks,
    UserDeclarations Declared)
{
    /// <summary>The best-checkpoint members (they write the epoch-end checkpoints and name the best and last files for <c>Test</c>).</summary>
    public IEnumerable<string> Keepers => Callbacks.Where(c => c.IsKeeper).Select(c => c.Member);

    /// <summary>Whether the class declares <paramref name="member"/> itself (the generator then leaves it out).</summary>
    public bool Declares(UserDeclarations member) => (Declared & member) != 0;
}
