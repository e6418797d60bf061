using Dandelion.Box.Files;

namespace Dandelion.Box.Tests;

public sealed class TtlParserTests
{
    private static readonly TimeSpan Default = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Max = TimeSpan.FromDays(1);

    [Theory]
    [InlineData(null, 60)]        // missing means the default, as the original
    [InlineData("30", 30)]
    [InlineData(" 30 ", 30)]      // surrounding spaces
    [InlineData("60.0", 60)]      // a Python float that is whole
    [InlineData("86400", 86400)]  // exactly the maximum
    public void Accepts(string? text, int seconds)
    {
        Assert.True(TtlParser.TryParse(text, Default, Max, out var ttl, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), ttl);
    }

    [Fact]
    public void Zero_means_the_default_so_every_file_expires()
    {
        Assert.True(TtlParser.TryParse("0", Default, Max, out var ttl, out _));
        Assert.Equal(Default, ttl);
        Assert.True(TtlParser.TryParse("0.0", Default, Max, out ttl, out _));
        Assert.Equal(Default, ttl);
    }

    [Fact]
    public void The_default_never_passes_the_maximum()
    {
        Assert.True(TtlParser.TryParse(null, TimeSpan.FromDays(2), Max, out var ttl, out _));
        Assert.Equal(Max, ttl);
    }

    [Theory]
    [InlineData("-1")]            // negative
    [InlineData("-0.5")]          // negative fraction
    [InlineData("1.5")]           // not whole
    [InlineData("abc")]           // not a number
    [InlineData("")]              // empty
    [InlineData("1e3")]           // exponent notation is not whole seconds text
    [InlineData("86401")]         // over the maximum
    [InlineData("9223372036854775807")] // long.MaxValue: over the maximum, never an overflow
    [InlineData("99999999999999999999999")] // overflows
    [InlineData("True")]          // a JSON true read as text
    public void Refuses(string text)
    {
        Assert.False(TtlParser.TryParse(text, Default, Max, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
