namespace Pipelines.Torch.Optimizers;

/// <summary>
/// Options with a momentum factor (<see cref="SGDOptions"/>, <see cref="RMSpropOptions"/>): PyTorch's
/// <c>param_group['momentum']</c>, which a schedule such as OneCycleLR may set between steps.
/// </summary>
public interface IMomentum
{
    /// <summary>The momentum factor the group's next step uses.</summary>
    double momentum { get; set; }
}
