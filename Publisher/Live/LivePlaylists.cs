namespace Dandelion.Publisher.Live;

/// <summary>The playlists being served, by stream name (the playlist's path under the live directory, without <c>.m3u8</c>).</summary>
internal sealed class LivePlaylists
{
    private readonly ConcurrentDictionary<string, ServedPlaylist> _served = new(StringComparer.Ordinal);

    public ServedPlaylist? Get(string stream) => _served.GetValueOrDefault(stream);

    public IReadOnlyList<ServedPlaylist> All => _served.Values.ToList();

    public void Publish(ServedPlaylist playlist) => _served[playlist.Stream] = playlist;

    public void Remove(string stream) => _served.TryRemove(stream, out _);
}
