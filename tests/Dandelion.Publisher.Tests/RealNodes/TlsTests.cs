using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Authentication;
using Dandelion.Publisher.Api;
using Dandelion.Testing;

namespace Dandelion.Publisher.Tests.RealNodes;

/// <summary>
/// Issue 9's TLS: a real entrance and real boxes (own processes) and the publisher, each serving
/// HTTPS/WSS with a certificate a CA made by the test issued. Boxes register over wss://, the
/// publisher searches and places over wss://, a viewer follows its redirect to an https:// box;
/// a client that does not trust the CA is refused at every door.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("dandelion-tls-nodes-").FullName;
    private TestCertificates _tls = null!;
    private Cluster _cluster = null!;
    private PublisherHost _publisher = null!;

    public async Task InitializeAsync()
    {
        _tls = TestCertificates.Create(Path.Combine(_root, "certificates"));
        _cluster = await Cluster.StartAsync(boxes: 2, tls: _tls);
        _publisher = await PublisherHost.StartAsync([_cluster.EntranceUrl], new Dictionary<string, string?>
        {
            ["Publisher:Boxes"] = "2",
            ["Publisher:Replication"] = "2",
            ["Publisher:SearchInterval"] = "00:00:01",
        }, _tls);
        try
        {
            await Eventually.Until(async () => (await _publisher.Viewer.GetFromJsonAsync<List<BoxView>>("api/boxes"))!.Count >= 2, "2 box sessions over wss");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\n" + _cluster.Output, ex);
        }
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _cluster.DisposeAsync();
        _tls.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Boxes_register_over_wss_the_publisher_places_over_wss_and_a_viewer_fetches_over_https()
    {
        Assert.StartsWith("wss://", _cluster.EntranceUrl);
        using (var operators = _cluster.OperatorApi())
        {
            foreach (var box in _cluster.Boxes)
                Assert.Equal(HttpStatusCode.OK, (await operators.GetAsync($"api/boxes/{box.Id}")).StatusCode);
        }
        var boxes = await _publisher.Viewer.GetFromJsonAsync<List<BoxView>>("api/boxes");
        Assert.All(boxes!, b => Assert.StartsWith("https://127.0.0.1:", b.HttpUrl));

        var path = _publisher.WriteFile("tls/one.bin", 300_000);
        var bytes = await File.ReadAllBytesAsync(path);
        using (var post = await _publisher.Viewer.PostAsJsonAsync("api/files", new { path, ttl = 120 }))
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var status = await Eventually.Until(async () => await _publisher.StatusAsync("/pub/tls/one.bin") is { Holders.Count: 2 } s ? s : null, "two holders");

        using var viewer = new HttpClient(_tls.Trusting());
        foreach (var holder in status.Holders)
        {
            Assert.StartsWith("https://", holder.Url);
            Assert.Equal(bytes, await viewer.GetByteArrayAsync(holder.Url));
        }
        using var media = await _publisher.Viewer.GetAsync("media/pub/tls/one.bin");
        Assert.Equal(HttpStatusCode.Redirect, media.StatusCode);
        Assert.Equal("https", media.Headers.Location!.Scheme);
        Assert.Equal(bytes, await viewer.GetByteArrayAsync(media.Headers.Location));
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_CA_is_refused_by_the_entrance_the_box_and_the_publisher()
    {
        var holder = _cluster.Boxes[0];
        using var untrusting = new HttpClient();
        var box = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(new Uri(holder.HttpUrl + "alive")));
        Assert.IsType<AuthenticationException>(box.InnerException);
        var publisher = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync($"https://127.0.0.1:{_publisher.Port}/alive"));
        Assert.IsType<AuthenticationException>(publisher.InnerException);
        using var socket = new ClientWebSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(_cluster.EntranceUrl), default));

        // A box not given the CA cannot reach its entrance, says why, and is never registered.
        var lost = await _cluster.AddBoxAsync(trustEntrance: false);
        await Eventually.Until(() => Task.FromResult(lost.Process.Output.Contains("TLS failed", StringComparison.Ordinal)), "the box to log its TLS failure");
        using var operators = _cluster.OperatorApi();
        Assert.Equal(HttpStatusCode.NotFound, (await operators.GetAsync($"api/boxes/{lost.Id}")).StatusCode);
        // Plain HTTP to a TLS port gets no answer a client could take for a page.
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var answer = await plain.GetAsync($"http://127.0.0.1:{holder.HttpPort}/alive");
            Assert.False(answer.IsSuccessStatusCode, $"plain HTTP on the TLS port answered {answer.StatusCode}");
        }
        catch (HttpRequestException)
        {
        }
    }
}
