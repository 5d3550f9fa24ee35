namespace Pipelines.Torch.Optimizers;

/// <summary>
/// Options with Adam's two averaging coefficients (<see cref="AdamOptions"/>): PyTorch's
/// <c>param_group['betas']</c>. <see cref="beta1"/> plays momentum's part for schedules that cycle
/// momentum, such as OneCycleLR.
/// </summary>
public interface IBetas
{
    /// <summary>The decay rate of the first-moment average the group's next step uses.</summary>
    double beta1 { get; set; }

    /// <summary>The decay rate of the second-moment average the group's next step uses.</summary>
    double beta2 { get; set; }
}
