namespace Dandelion.Publisher.Boxes;

/// <summary>
/// Boxes caught serving bytes other than those placed on them (a viewer's report, confirmed by
/// the publisher's own fetch). Placement gives them nothing and viewers are never sent to them,
/// until the publisher restarts. At most <see cref="Limit"/> are kept: past that the network
/// has bigger trouble than one lying box, and the oldest entry makes room.
/// </summary>
internal sealed class DistrustedBoxes(TimeProvider time)
{
    public const int Limit = 1024;

    private readonly ConcurrentDictionary<string, DistrustedBox> _boxes = new(StringComparer.Ordinal);

    /// <summary>Raised once per box when it is first distrusted.</summary>
    public event Action<string>? Distrusted;

    public bool Contains(string boxId) => !_boxes.IsEmpty && _boxes.ContainsKey(boxId);

    public IReadOnlyList<DistrustedBox> All => _boxes.Values.OrderBy(b => b.Since).ToList();

    public void Add(string boxId, string filePath)
    {
        if (_boxes.Count >= Limit && _boxes.Values.OrderBy(b => b.Since).FirstOrDefault() is { } oldest)
            _boxes.TryRemove(oldest.Box, out _);
        if (_boxes.TryAdd(boxId, new DistrustedBox(boxId, filePath, time.GetUtcNow())))
            Distrusted?.Invoke(boxId);
    }
}
