using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Dandelion.Publisher.Media;
using Dandelion.Publisher.Tests.Peers;

namespace Dandelion.Publisher.Tests;

public sealed class MediaTests : IAsyncLifetime
{
    private PublisherHost _publisher = null!;

    public async Task InitializeAsync()
    {
        _publisher = await PublisherHost.StartAsync([]);
        _publisher.WriteFile("a.bin", 1000);
        File.WriteAllText(Path.Combine(_publisher.Root, "secret.txt"), "secret");
        File.CreateSymbolicLink(Path.Combine(_publisher.PublishDirectory, "link.txt"), Path.Combine(_publisher.Root, "secret.txt"));
    }

    public async Task DisposeAsync() => await _publisher.DisposeAsync();

    [Theory]
    [InlineData("media/pub/../secret.txt")]                 // .. (the client and Kestrel fold it away: it reaches no file)
    [InlineData("media/pub/..%2Fsecret.txt")]               // an encoded slash
    [InlineData("media/pub/..%2F..%2F..%2Fetc%2Fpasswd")]   // an encoded climb to the system
    [InlineData("media/pub/%2E%2E/secret.txt")]             // encoded dots
    [InlineData("media/pub/..%5Csecret.txt")]               // a backslash
    [InlineData("media/pub/link.txt")]                      // a link leading out of the publish directory
    [InlineData("media/pub/missing.bin")]                   // no such file
    [InlineData("media/other/a.bin")]                       // no publish directory of that name
    [InlineData("media/pub")]                               // the directory itself
    [InlineData("media/data/publisher.id")]                 // the publisher's own data
    public async Task Hostile_or_unknown_paths_are_404(string url)
    {
        using var response = await _publisher.Viewer.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_file_no_box_holds_is_served_by_the_origin_with_its_bytes()
    {
        using var response = await _publisher.Viewer.GetAsync("media/pub/a.bin");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_publisher.PublishDirectory, "a.bin")), await response.Content.ReadAsByteArrayAsync());
        var holders = await _publisher.Viewer.GetFromJsonAsync<MediaHolders>("media/pub/a.bin?json=1");
        Assert.Empty(holders!.Holders);
    }

    [Theory]
    [InlineData("/etc/passwd")]          // outside the publish directories
    [InlineData("{pub}/../secret.txt")]  // out through ..
    [InlineData("{pub}/link.txt")]       // out through a link
    [InlineData("{pub}/missing.bin")]    // no such file
    public async Task Publishing_a_path_outside_the_published_set_is_refused(string path)
    {
        using var response = await _publisher.Viewer.PostAsJsonAsync("api/files", new { path = path.Replace("{pub}", _publisher.PublishDirectory), ttl = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_file_never_published_has_no_state()
    {
        using var response = await _publisher.Viewer.GetAsync("api/files/pub/a.bin");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Without_an_api_key_the_api_answers_loopback_only()
    {
        var address = Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (address is null)
            return; // no non-loopback address on this machine to call from
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://{address}:{_publisher.Port}/") };
        using var api = await client.GetAsync("api/stats");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        using var media = await client.GetAsync("media/pub/a.bin");
        Assert.Equal(HttpStatusCode.OK, media.StatusCode);
    }

    [Fact]
    public async Task With_an_api_key_the_api_wants_it()
    {
        await using var keyed = await PublisherHost.StartAsync([], new Dictionary<string, string?> { ["Publisher:ApiKey"] = "s3cret" });
        using (var without = await keyed.Viewer.GetAsync("api/stats"))
            Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/stats") { Headers = { { "X-Api-Key", "s3cret" } } };
        using var with = await keyed.Viewer.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }
}
