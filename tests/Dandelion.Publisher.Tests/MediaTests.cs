using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
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

    [Theory]
    [MemberData(nameof(Hostile.HostileRequestCorpus.MediaUrls), MemberType = typeof(Hostile.HostileRequestCorpus))]
    public async Task A_hostile_media_url_reaches_no_file_and_the_publisher_keeps_serving(string url)
    {
        using (var response = await _publisher.Viewer.GetAsync(url))
        {
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{url}: {response.StatusCode}");
            Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync());
        }
        using var good = await _publisher.Viewer.GetAsync("media/pub/a.bin");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Hostile.HostileRequestCorpus.FileRequests), MemberType = typeof(Hostile.HostileRequestCorpus))]
    public async Task A_hostile_publish_request_is_a_400_and_publishes_nothing(string body)
    {
        body = body.Replace("{a}", Path.Combine(_publisher.PublishDirectory, "a.bin"), StringComparison.Ordinal)
            .Replace("{pub}", _publisher.PublishDirectory, StringComparison.Ordinal);
        using (var response = await _publisher.Viewer.PostAsync("api/files", new StringContent(body, Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(_publisher.Publisher.GetStatus("/pub/a.bin"));
        using var good = await _publisher.Viewer.GetAsync("media/pub/a.bin");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
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

    [Theory]
    [InlineData("9223372036854775807")]  // 2^63-1: once a 500 (TimeSpan overflow)
    [InlineData("31536001")]             // a second over the longest TTL any box keeps
    [InlineData("-1")]                   // negative
    [InlineData("1e400")]                // not a 64-bit number at all
    public async Task An_out_of_range_ttl_is_a_400_naming_the_field(string ttl)
    {
        var body = $$"""{"path": {{JsonSerializer.Serialize(Path.Combine(_publisher.PublishDirectory, "a.bin"))}}, "ttl": {{ttl}}}""";
        using var response = await _publisher.Viewer.PostAsync("api/files", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ttl", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_file_never_published_has_no_state()
    {
        using var response = await _publisher.Viewer.GetAsync("api/files/pub/a.bin");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>
    /// Asserts on every machine: a real socket from 127.0.0.2 (loopback to the kernel and to the guard:
    /// the whole of 127/8 never leaves the host) gets in; a real socket from each of the host's
    /// non-loopback addresses, when it has any, gets 404 for the API and the media route still
    /// works; and the guard's decision for non-loopback callers is asserted below on its own.
    /// </summary>
    [Fact]
    public async Task Without_an_api_key_the_api_answers_loopback_only()
    {
        using (var fromLoopback = Client(IPAddress.Parse("127.0.0.2"), IPAddress.Loopback))
        using (var api = await fromLoopback.GetAsync("api/stats"))
            Assert.Equal(HttpStatusCode.OK, api.StatusCode);

        var outside = Dns.GetHostAddresses(Dns.GetHostName())
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToList();
        foreach (var address in outside)
        {
            using var client = Client(address, address);
            using var api = await client.GetAsync("api/stats");
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
            using var media = await client.GetAsync("media/pub/a.bin");
            Assert.Equal(HttpStatusCode.OK, media.StatusCode);
        }
    }

    [Theory]
    [InlineData("192.0.2.1", false)]         // a LAN or internet caller
    [InlineData("10.0.0.1", false)]
    [InlineData("::ffff:192.0.2.1", false)]  // the same through a dual-stack socket
    [InlineData("fd00::1", false)]           // IPv6 unique local
    [InlineData(null, false)]                // no address known (a Unix socket)
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", true)]          // all of 127/8 is loopback
    [InlineData("::ffff:127.0.0.2", true)]   // the same through Kestrel's dual-stack socket
    [InlineData("::1", true)]
    public async Task Without_an_api_key_the_guard_lets_in_loopback_callers_only(string? remote, bool allowed)
    {
        var filter = new Dandelion.Publisher.Api.ApiAccessFilter(Microsoft.Extensions.Options.Options.Create(new Dandelion.Publisher.Configuration.PublisherOptions()));
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        http.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        var passed = false;
        await filter.InvokeAsync(new Microsoft.AspNetCore.Http.DefaultEndpointFilterInvocationContext(http), _ =>
        {
            passed = true;
            return ValueTask.FromResult<object?>(null);
        });
        Assert.Equal(allowed, passed);
    }

    /// <summary>A client whose sockets leave from <paramref name="from"/> to the publisher's port on <paramref name="to"/>.</summary>
    private HttpClient Client(IPAddress from, IPAddress to)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(from.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(new IPEndPoint(to, _publisher.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri($"http://{(to.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{to}]" : to.ToString())}:{_publisher.Port}/") };
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
