using Dandelion.Box.Node;

namespace Dandelion.Box.Tests.Household;

public sealed class QuietWindowTests
{
    [Theory]
    [InlineData("23:00-07:00", "23:00", "07:00")]
    [InlineData("09:30-17:45", "09:30", "17:45")]
    [InlineData(" 00:00 - 06:00 ", "00:00", "06:00")] // spaces around the parts are fine
    public void A_window_is_read(string text, string from, string until)
    {
        Assert.True(QuietWindow.TryParse(text, out var window));
        Assert.Equal(TimeOnly.Parse(from), window.From);
        Assert.Equal(TimeOnly.Parse(until), window.Until);
    }

    [Theory]
    [InlineData("")]              // nothing
    [InlineData("23:00")]         // one time only
    [InlineData("23:00-07:00-08:00")] // three
    [InlineData("7:00-09:00")]    // not two-digit hours
    [InlineData("24:00-07:00")]   // no such time
    [InlineData("23:00-23:00")]   // empty, or the whole day: either way not what anyone means
    [InlineData("11pm-7am")]      // another notation
    public void A_bad_window_is_refused(string text) => Assert.False(QuietWindow.TryParse(text, out _));

    [Theory]
    [InlineData("23:00-07:00", "22:59", false)]
    [InlineData("23:00-07:00", "23:00", true)]  // from is inside
    [InlineData("23:00-07:00", "03:00", true)]  // across midnight
    [InlineData("23:00-07:00", "07:00", false)] // until is outside
    [InlineData("09:00-17:00", "12:00", true)]
    [InlineData("09:00-17:00", "20:00", false)]
    public void A_time_is_inside_or_outside(string text, string time, bool inside)
    {
        QuietWindow.TryParse(text, out var window);
        Assert.Equal(inside, window.Contains(TimeOnly.Parse(time)));
    }

    [Theory]
    [InlineData("23:00-07:00", "22:00", "01:00:00")]
    [InlineData("23:00-07:00", "23:00", "08:00:00")] // at an edge: the other edge
    [InlineData("23:00-07:00", "06:59:30", "00:00:30")]
    [InlineData("09:00-17:00", "18:00", "15:00:00")] // to tomorrow's from
    public void The_next_edge_is_found(string text, string time, string until)
    {
        QuietWindow.TryParse(text, out var window);
        Assert.Equal(TimeSpan.Parse(until), window.UntilNextEdge(TimeOnly.Parse(time)));
    }
}
