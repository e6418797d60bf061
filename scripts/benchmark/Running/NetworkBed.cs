using System.Net.Http.Json;
using System.Text.Json;
using Dandelion.LocalNetwork;

namespace Dandelion.Benchmark.Running;

/// <summary>
/// Redis, an entrance, two boxes and a publisher keeping two copies of every file (R=2): the
/// viewer-facing scenarios (redirects, serving, placement) run on it. Files to publish go in
/// <see cref="PublishDirectory"/>; a file <c>x</c> there is <c>/{dir name}/x</c> to viewers.
/// </summary>
internal sealed class NetworkBed : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private NetworkBed(Testbed testbed) => Testbed = testbed;

    public Testbed Testbed { get; }
    public ChildProcess Entrance { get; private set; } = null!;
    public Uri EntranceUrl { get; private set; } = null!;
    public IReadOnlyList<BenchBox> Boxes { get; private set; } = [];
    public ChildProcess Publisher { get; private set; } = null!;
    public Uri PublisherUrl { get; private set; } = null!;
    public string PublisherId { get; private set; } = "";
    public string PublishDirectory { get; private set; } = "";
    public string PublishName => Path.GetFileName(PublishDirectory);

    public static async Task<NetworkBed> StartAsync(Testbed testbed, CancellationToken cancellationToken)
    {
        var bed = new NetworkBed(testbed);
        try
        {
            var (_, redisPort) = await testbed.StartRedisAsync(cancellationToken);
            (bed.Entrance, bed.EntranceUrl) = await testbed.StartEntranceAsync(redisPort, "bench", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), cancellationToken);
            var ws = $"ws://127.0.0.1:{bed.EntranceUrl.Port}/dandelion/ws/";
            bed.Boxes = await Task.WhenAll(testbed.StartBoxAsync("box1", ws, cancellationToken), testbed.StartBoxAsync("box2", ws, cancellationToken));
            bed.PublishDirectory = Directory.CreateDirectory(Path.Combine(testbed.Group.RunDirectory, "media")).FullName;
            (bed.Publisher, bed.PublisherUrl, bed.PublisherId) = await testbed.StartPublisherAsync(ws, bed.PublishDirectory, 2, 2, cancellationToken);
            await bed.WaitAsync(async () => (await bed.OpenBoxesAsync(cancellationToken)) == 2, "the publisher to open sessions with both boxes", cancellationToken);
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Publishes a file already in <see cref="PublishDirectory"/> (TTL in seconds, 0 keeps it).</summary>
    public async Task PublishAsync(string name, int ttlSeconds, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(PublisherUrl, "api/files"),
            new { path = Path.Combine(PublishDirectory, name), ttl = ttlSeconds }, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Publishing {name} was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    /// <summary>Waits until the publisher counts <paramref name="name"/> as placed on both boxes.</summary>
    public Task WaitPlacedAsync(string name, CancellationToken cancellationToken) =>
        WaitAsync(async () =>
        {
            using var status = await _http.GetFromJsonAsync<JsonDocument>(new Uri(PublisherUrl, $"api/files/{PublishName}/{name}"), cancellationToken);
            return status!.RootElement.GetProperty("holders").EnumerateArray().Count() >= 2;
        }, $"{name} to be placed on both boxes", cancellationToken);

    /// <summary>
    /// The signed URL of <paramref name="name"/> on <paramref name="box"/> as the publisher hands it
    /// to viewers (<c>/media/…?json=1</c>): a box serves a file of a publisher whose URL key it holds
    /// only under that publisher's signature.
    /// </summary>
    public async Task<string> SignedUrlAsync(string name, BenchBox box, CancellationToken cancellationToken)
    {
        using var holders = await _http.GetFromJsonAsync<JsonDocument>(new Uri(PublisherUrl, $"media/{PublishName}/{name}?json=1"), cancellationToken);
        foreach (var holder in holders!.RootElement.GetProperty("holders").EnumerateArray())
        {
            var url = holder.GetProperty("url").GetString()!;
            if (new Uri(url).Port == box.HttpPort)
                return url;
        }
        throw new InvalidOperationException($"The publisher lists no URL of {name} on {box.Name}.");
    }

    /// <summary>Boxes the entrance counts as live (<c>GET /api/stats</c>).</summary>
    public async Task<long> BoxesLiveAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(EntranceUrl, "api/stats"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Testbed.OperatorKey);
        using var answer = await _http.SendAsync(request, cancellationToken);
        using var stats = await answer.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonDocument>(cancellationToken);
        return stats!.RootElement.GetProperty("boxesLive").GetInt64();
    }

    public async ValueTask DisposeAsync()
    {
        await Testbed.DisposeAsync();
        _http.Dispose();
    }

    private async Task<int> OpenBoxesAsync(CancellationToken cancellationToken)
    {
        using var boxes = await _http.GetFromJsonAsync<JsonDocument>(new Uri(PublisherUrl, "api/boxes"), cancellationToken);
        return boxes!.RootElement.GetArrayLength();
    }

    private async Task WaitAsync(Func<Task<bool>> ready, string what, CancellationToken cancellationToken)
    {
        await Testbed.Group.WaitAsync(Publisher ?? Entrance, async () =>
        {
            try
            {
                return await ready();
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }, what, cancellationToken);
    }
}
