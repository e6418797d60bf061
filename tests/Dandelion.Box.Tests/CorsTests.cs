using System.Net;

namespace Dandelion.Box.Tests;

/// <summary>CORS on the file port as a browser meets it, with <c>Box:AllowedOrigins</c> listing origins.</summary>
public sealed class CorsTests : IAsyncLifetime
{
    private const string Caster = "https://caster.example";
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-box-cors-").FullName;
    private BoxHost _box = null!;
    private string _file = null!;

    public async Task InitializeAsync()
    {
        _box = BoxHost.Start(_data, new Dictionary<string, string?>
        {
            ["Box:AllowedOrigins:0"] = Caster + "/",
            // What a browser sends after the publisher's redirect from a page of a third origin.
            ["Box:AllowedOrigins:1"] = "null",
        });
        var (publisher, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        using (publisher)
            Assert.Equal("STORED", (await publisher.PutAsync(TestPublisher.Version2Frame("/v/a.ts", 100, [1, 2, 3]))).GetProperty("COMMAND").GetString());
        _file = $"{publisher.Id}/v/a.ts";
    }

    public async Task DisposeAsync()
    {
        await _box.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string origin, bool preflight = false)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        if (preflight)
        {
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "range");
        }
        return await _box.Http.SendAsync(request);
    }

    private static string? AllowOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;

    [Theory]
    [InlineData(Caster)]
    [InlineData("null")]
    public async Task A_listed_origin_reads_files_and_their_range_headers(string origin)
    {
        using var response = await SendAsync(HttpMethod.Get, _file, origin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([1, 2, 3], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(origin, AllowOrigin(response));
        Assert.Contains("Origin", response.Headers.Vary);
        Assert.Contains("Content-Range", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")));

        // A player seeing a missing file must see the 404, not a CORS failure.
        using var missing = await SendAsync(HttpMethod.Get, _file.Replace("a.ts", "none.ts"), origin);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(origin, AllowOrigin(missing));
    }

    [Fact]
    public async Task A_listed_origin_gets_its_preflight_answered()
    {
        using var response = await SendAsync(HttpMethod.Options, _file, Caster, preflight: true);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Caster, AllowOrigin(response));
        Assert.Contains("GET", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("Range", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Headers.Contains("Access-Control-Max-Age"));
    }

    [Fact]
    public async Task Another_origin_gets_no_cors_headers()
    {
        using var get = await SendAsync(HttpMethod.Get, _file, "https://elsewhere.example");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Null(AllowOrigin(get));
        using var preflight = await SendAsync(HttpMethod.Options, _file, "https://elsewhere.example", preflight: true);
        Assert.Null(AllowOrigin(preflight));
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Methods"));
    }
}
