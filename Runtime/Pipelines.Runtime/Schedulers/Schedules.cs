namespace Pipelines.Schedulers;

/// <summary>Argument checks shared by the schedulers.</summary>
internal static class Schedules
{
    public static void CheckFactor(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, "The factor must be positive and finite.");
    }
}
