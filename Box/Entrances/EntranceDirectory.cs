using System.Threading.Channels;
using Dandelion.Box.Node;

namespace Dandelion.Box.Entrances;

/// <summary>
/// The entrances this box talks to: every configured one (kept for ever), plus every one an
/// entrance advertised in <c>ENTRANCE_URLS</c>, deduplicated, and dropped when unreachable
/// for <see cref="BoxOptions.AdvertisedEntranceTtl"/>. New ones are announced on <see cref="Added"/>.
/// </summary>
internal sealed class EntranceDirectory(IOptions<BoxOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Known> _known = new(StringComparer.Ordinal);
    private readonly Channel<string> _added = Channel.CreateUnbounded<string>();

    public ChannelReader<string> Added => _added.Reader;

    public IReadOnlyCollection<string> Urls => _known.Keys.ToList();

    public void AddConfigured(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            if (Normalize(url) is { } normal && _known.TryAdd(normal, new Known(true, time.GetUtcNow())))
                _added.Writer.TryWrite(normal);
        }
    }

    public void Advertise(IEnumerable<string>? urls)
    {
        foreach (var url in urls ?? [])
        {
            if (Normalize(url) is { } normal && _known.TryAdd(normal, new Known(false, time.GetUtcNow())))
                _added.Writer.TryWrite(normal);
        }
    }

    public void MarkReached(string url)
    {
        if (_known.TryGetValue(url, out var known))
            known.LastReached = time.GetUtcNow();
    }

    public bool IsConfigured(string url) => _known.TryGetValue(url, out var known) && known.Configured;

    /// <summary>True for an advertised entrance not reached for longer than the configured time.</summary>
    public bool ShouldDrop(string url) =>
        _known.TryGetValue(url, out var known) && !known.Configured
        && time.GetUtcNow() - known.LastReached > options.Value.AdvertisedEntranceTtl;

    public void Remove(string url) => _known.TryRemove(url, out _);

    /// <summary>
    /// One spelling per entrance, <c>ws(s)://</c> with scheme and host lower case, so one entrance is
    /// one session: our entrances advertise that form, original ones the <c>http(s)://</c> form of
    /// the same socket. Null for anything else.
    /// </summary>
    public static string? Normalize(string? url) => EntranceUrl.WebSocketForm(url);

    private sealed class Known(bool configured, DateTimeOffset added)
    {
        public bool Configured { get; } = configured;
        public DateTimeOffset LastReached { get; set; } = added;
    }
}
