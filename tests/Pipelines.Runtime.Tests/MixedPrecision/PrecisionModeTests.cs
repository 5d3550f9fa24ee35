namespace Pipelines.Runtime.Tests.MixedPrecision;

/// <summary><see cref="PrecisionMode"/>: Lightning's names, what each runs under, and how a wrong name reads.</summary>
public sealed class PrecisionModeTests
{
    public static readonly TheoryData<string, ScalarType?> Names = new()
    {
        { "32-true", null },
        { "bf16-mixed", ScalarType.BFloat16 },
        { "16-mixed", ScalarType.Float16 },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_of_lightnings_names_parses_to_the_mode_of_that_name(string name, ScalarType? autocastDtype)
    {
        var mode = PrecisionMode.Parse(name);
        Assert.Equal(name, mode.Name);
        Assert.Equal(name, mode.ToString());
        Assert.Equal(autocastDtype, mode.AutocastDtype);
        Assert.Same(mode, PrecisionMode.All.Single(m => m.Name == name));
    }

    [Theory]
    [InlineData("bf16", "bf16-mixed")]
    [InlineData("16", "16-mixed")]
    [InlineData("32", "32-true")]
    public void A_short_alias_is_refused_with_the_full_name(string alias, string full)
    {
        var error = Assert.Throws<ArgumentException>(() => PrecisionMode.Parse(alias));
        Assert.Contains($"did you mean '{full}'", error.Message);
    }

    [Theory]
    [InlineData("BF16-MIXED")]
    [InlineData("bf16-true")]
    [InlineData("")]
    public void Any_other_text_is_refused_with_the_names(string text)
    {
        Assert.False(PrecisionMode.TryParse(text, out _));
        var error = Assert.Throws<ArgumentException>(() => PrecisionMode.Parse(text));
        Assert.Contains("32-true, bf16-mixed, 16-mixed", error.Message);
    }

    [Fact]
    public void The_default_mode_is_float32()
    {
        Assert.Same(PrecisionMode.Float32, PrecisionMode.All[0]);
        Assert.True(PrecisionMode.TryParse("32-true", out var mode));
        Assert.Same(PrecisionMode.Float32, mode);
        Assert.False(PrecisionMode.TryParse(null, out _));
    }
}
