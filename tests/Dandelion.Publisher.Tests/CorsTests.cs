using System.Net;

namespace Dandelion.Publisher.Tests;

/// <summary>CORS on <c>/live/</c> and <c>/media/</c> as a browser on a caster's page meets it.</summary>
public sealed class CorsTests
{
    private const string Caster = "https://caster.example";

    private static async Task<HttpResponseMessage> SendAsync(PublisherHost publisher, HttpMethod method, string path, string origin, bool preflight = false)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        if (preflight)
            request.Headers.Add("Access-Control-Request-Method", "GET");
        return await publisher.Viewer.SendAsync(request);
    }

    private static string? AllowOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;

    [Theory]
    [InlineData("media/pub/a.bin")]
    [InlineData("live/none.m3u8")]
    public async Task By_default_any_page_may_play_and_preflights_are_answered(string path)
    {
        await using var publisher = await PublisherHost.StartAsync([]);
        publisher.WriteFile("a.bin", 100);

        using var get = await SendAsync(publisher, HttpMethod.Get, path, "https://anywhere.example");
        Assert.Equal("*", AllowOrigin(get));
        using var preflight = await SendAsync(publisher, HttpMethod.Options, path, "https://anywhere.example", preflight: true);
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("*", AllowOrigin(preflight));
        Assert.Contains("GET", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single());
    }

    [Fact]
    public async Task With_origins_listed_only_those_pages_get_cors_headers()
    {
        await using var publisher = await PublisherHost.StartAsync([], new Dictionary<string, string?> { ["Publisher:AllowedOrigins:0"] = Caster });
        publisher.WriteFile("a.bin", 100);

        using var allowed = await SendAsync(publisher, HttpMethod.Get, "media/pub/a.bin", Caster);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(Caster, AllowOrigin(allowed));
        using var allowedPreflight = await SendAsync(publisher, HttpMethod.Options, "live/show.m3u8", Caster, preflight: true);
        Assert.Equal(HttpStatusCode.NoContent, allowedPreflight.StatusCode);
        Assert.Equal(Caster, AllowOrigin(allowedPreflight));

        using var other = await SendAsync(publisher, HttpMethod.Get, "media/pub/a.bin", "https://elsewhere.example");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Null(AllowOrigin(other));
        using var otherPreflight = await SendAsync(publisher, HttpMethod.Options, "live/show.m3u8", "https://elsewhere.example", preflight: true);
        Assert.Null(AllowOrigin(otherPreflight));

        // The operator API is not for pages: no CORS there, whatever the list says.
        using var api = await SendAsync(publisher, HttpMethod.Get, "api/stats", Caster);
        Assert.Null(AllowOrigin(api));
    }
}
