using Dandelion.Entrance.Geo;

namespace Dandelion.Entrance.Tests.Unit;

/// <summary>How a stated city name becomes the gazetteer's key, and which names are never looked up.</summary>
public sealed class GazetteerKeyTests
{
    [Theory]
    [InlineData("Lyon", "lyon")]
    [InlineData("  LYON ", "lyon")]              // spaces around and case do not matter
    [InlineData("Lyón", "lyon")]                 // nor do diacritics (the app runs in invariant globalization)
    [InlineData("São Paulo", "sao paulo")]
    [InlineData("Sant Julià de Lòria", "sant julia de loria")]
    [InlineData("Zürich", "zurich")]
    [InlineData("Łódź", "lodz")]                 // ł has no decomposition: folded by hand
    [InlineData("Lyo\u0301n", "lyon")]           // the accent sent as a combining character
    public void A_name_matches_ignoring_case_and_diacritics(string name, string key) =>
        Assert.Equal(key, Gazetteer.Key(name));

    [Theory]
    [InlineData("")]                             // nothing to look up
    [InlineData("   ")]                          // blank
    [InlineData("Ly\u0000on")]                   // a control character
    [InlineData("Ly\non")]                      // a line break inside the name (around it is trimmed)
    [InlineData("Ly\u001b[2Jon")]                // a terminal escape
    public void A_blank_name_or_one_with_control_characters_is_refused(string name) =>
        Assert.Null(Gazetteer.Key(name));

    [Fact]
    public void A_name_longer_than_64_characters_is_refused_and_one_of_64_is_not()
    {
        Assert.Null(Gazetteer.Key(new string('a', Gazetteer.MaxNameLength + 1)));
        Assert.Null(Gazetteer.Key(new string('x', 10_000)));
        Assert.Equal(new string('a', Gazetteer.MaxNameLength), Gazetteer.Key(new string('A', Gazetteer.MaxNameLength)));
    }
}
