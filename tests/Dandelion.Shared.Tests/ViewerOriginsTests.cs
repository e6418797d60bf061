using Dandelion.Shared.Hosting;

namespace Dandelion.Shared.Tests;

public sealed class ViewerOriginsTests
{
    [Theory]
    [InlineData("")]                                                       // none listed: any page
    [InlineData("*")]                                                      // any page, said outright
    [InlineData("https://caster.example")]
    [InlineData("https://caster.example/ http://127.0.0.1:8000 null")]     // a trailing slash; the redirected browser's origin
    public void Good_lists_pass(string origins) =>
        Assert.Empty(ViewerOrigins.Problems(List(origins), "X:AllowedOrigins"));

    /// <summary>The list, space separated (an empty entry as <c>''</c>).</summary>
    private static List<string> List(string origins) =>
        origins.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(o => o == "''" ? "" : o).ToList();

    [Theory]
    [InlineData("* https://caster.example", "X:AllowedOrigins lists '*'")] // '*' with others: the others mean nothing
    [InlineData("caster.example", "X:AllowedOrigins:0 ")]                  // no scheme
    [InlineData("https://caster.example/live", "X:AllowedOrigins:0 ")]     // a path: an origin has none
    [InlineData("ftp://caster.example", "X:AllowedOrigins:0 ")]            // not a web scheme
    [InlineData("https://a.example ''", "X:AllowedOrigins:1 ")]            // empty
    [InlineData("https://a.example?x=1", "X:AllowedOrigins:0 ")]           // a query
    [InlineData("https://user@a.example", "X:AllowedOrigins:0 ")]          // credentials
    public void Bad_lists_are_refused_naming_the_key(string origins, string named) =>
        Assert.StartsWith(named, Assert.Single(ViewerOrigins.Problems(List(origins), "X:AllowedOrigins")));

    [Fact]
    public void Any_or_none_allows_every_origin_and_a_list_only_its_own()
    {
        Assert.True(ViewerOrigins.Policy([]).AllowAnyOrigin);
        Assert.True(ViewerOrigins.Policy(["*"]).AllowAnyOrigin);
        var listed = ViewerOrigins.Policy(["https://caster.example/", "null"]);
        Assert.False(listed.AllowAnyOrigin);
        Assert.Equal(["https://caster.example", "null"], listed.Origins);
        Assert.False(listed.SupportsCredentials);
    }
}
