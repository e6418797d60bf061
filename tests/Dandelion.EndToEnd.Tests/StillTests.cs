namespace Dandelion.EndToEnd.Tests;

/// <summary>How the end-to-end test measures a stall from the page's samples.</summary>
public sealed class StillTests
{
    [Theory]
    // Always moving: never still.
    [InlineData(new double[] { 0, 100, 200, 300 }, new double[] { 1.0, 1.1, 1.2, 1.3 }, 0)]
    // Stuck at 1.1 from t=100 to t=2600: 2.5 s still.
    [InlineData(new double[] { 0, 100, 1000, 2600, 2700 }, new double[] { 1.0, 1.1, 1.1, 1.1, 1.2 }, 2500)]
    // A late sample (busy machine) while the video moved on is not a stall.
    [InlineData(new double[] { 0, 100, 3100, 3200 }, new double[] { 1.0, 1.1, 4.1, 4.2 }, 0)]
    // Stuck until the end of sampling still counts.
    [InlineData(new double[] { 0, 100, 900 }, new double[] { 1.0, 2.0, 2.0 }, 800)]
    // The longest of two stills.
    [InlineData(new double[] { 0, 300, 400, 1400 }, new double[] { 1.0, 1.0, 2.0, 2.0 }, 1000)]
    public void The_longest_still_is_from_the_first_to_the_last_sample_showing_the_same_time(double[] t, double[] ct, double expected)
    {
        var samples = t.Zip(ct, (time, current) => new PlaybackSample(time, current, 0, 0, false)).ToList();

        Assert.Equal(expected, PlayerPage.LongestStill(samples).Milliseconds);
    }
}
