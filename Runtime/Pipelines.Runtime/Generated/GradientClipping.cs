using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Generated;

/// <summary>
/// The gradient clipping <see cref="FitOptions"/> ask for, over the parameters of a pipeline's
/// models gathered once per run, so that clipping at every optimizer step allocates nothing.
/// The generated loop calls <see cref="Clip"/> between backward and the optimizer steps.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class GradientClipping
{
    readonly Parameter[] parameters;
    readonly double? maxNorm;
    readonly double? clipValue;

    GradientClipping(Parameter[] parameters, double? maxNorm, double? clipValue)
    {
        this.parameters = parameters;
        this.maxNorm = maxNorm;
        this.clipValue = clipValue;
    }

    /// <summary>
    /// The clipping <paramref name="options"/> ask for over the parameters of <paramref name="models"/>
    /// (call it after the models have moved to their device), or null when they ask for none.
    /// </summary>
    public static GradientClipping? For(FitOptions options, params nn.Module[] models)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(models);
        if (options.GradientClipNorm is null && options.GradientClipValue is null)
            return null;
        // A parameter shared by two models counts once in the norm, as it does in one optimizer.
        var parameters = new List<Parameter>();
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var model in models)
            foreach (var parameter in (model ?? throw new ArgumentNullException(nameof(models))).parameters())
                if (seen.Add(parameter))
                    parameters.Add(parameter);
        return new GradientClipping(parameters.ToArray(), options.GradientClipNorm, options.GradientClipValue);
    }

    /// <summary>The number of parameters whose gradients are clipped.</summary>
    public int Parameters => parameters.Length;

    /// <summary>
    /// Clips the gradients in place: to the joint 2-norm, or to the value range, as the options say.
    /// TorchSharp's <c>clip_grad_norm_</c> returns the norm as a host double, so clipping by norm
    /// reads one value from the device per optimizer step.
    /// </summary>
    public void Clip()
    {
        if (maxNorm is { } norm)
            nn.utils.clip_grad_norm_(parameters, norm);
        if (clipValue is { } value)
            nn.utils.clip_grad_value_(parameters, value);
    }
}
