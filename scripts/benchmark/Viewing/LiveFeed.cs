using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Dandelion.Benchmark.Viewing;

/// <summary>
/// A live stream without ffmpeg: every segment duration a new segment of random bytes is written,
/// published (<c>POST /api/files</c>) and, once two boxes hold it or a segment duration passed,
/// listed in <c>live.m3u8</c> (the last five), as the publisher's own live watcher lists a
/// segment once it is placed. The playlist itself is not published: the origin serves it.
/// </summary>
internal sealed class LiveFeed(HttpClient http, Uri publisherUrl, string directory, int segmentBytes, TimeSpan segmentDuration)
{
    public const string Playlist = "live.m3u8";
    private const int Listed = 5;
    private readonly List<string> _segments = [];
    private int _next;

    public string Name => Path.GetFileName(directory);

    /// <summary>Segments the publisher did not take (refused or not answered): only the origin has them.</summary>
    public int Unpublished { get; private set; }

    /// <summary>Publishes one segment now and lists it; returns once it is listed.</summary>
    public async Task AddSegmentAsync(CancellationToken cancellationToken)
    {
        var name = $"seg-{_next++:00000}.ts";
        var bytes = new byte[segmentBytes];
        Random.Shared.NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(directory, name), bytes, cancellationToken);
        // A publication refused (its queue full) or not answered in time leaves the segment to the
        // origin, as the publisher's own live watcher would: listed all the same, and counted.
        var published = false;
        try
        {
            using var post = await http.PostAsJsonAsync(new Uri(publisherUrl, "api/files"), new { path = Path.Combine(directory, name), ttl = 300 }, cancellationToken);
            published = post.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
        }
        if (!published)
            Unpublished++;
        var deadline = DateTime.UtcNow + segmentDuration;
        while (published && DateTime.UtcNow < deadline && !await PlacedAsync(name, cancellationToken))
            await Task.Delay(100, cancellationToken);
        _segments.Add(name);
        await WritePlaylistAsync(cancellationToken);
    }

    /// <summary>Adds a segment every segment duration until stopped.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(segmentDuration);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
                await AddSegmentAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> PlacedAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            using var status = await http.GetFromJsonAsync<JsonDocument>(new Uri(publisherUrl, $"api/files/{Name}/{name}"), cancellationToken);
            return status!.RootElement.GetProperty("holders").GetArrayLength() >= 2;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task WritePlaylistAsync(CancellationToken cancellationToken)
    {
        var shown = _segments.TakeLast(Listed).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:{Math.Ceiling(segmentDuration.TotalSeconds)}\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-MEDIA-SEQUENCE:{_segments.Count - shown.Count}\n");
        foreach (var segment in shown)
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{segmentDuration.TotalSeconds:0.000},\n{segment}\n");
        var temporary = Path.Combine(directory, Playlist + ".tmp");
        await File.WriteAllTextAsync(temporary, text.ToString(), cancellationToken);
        File.Move(temporary, Path.Combine(directory, Playlist), overwrite: true);
    }
}
