namespace Dandelion.Shared.Protocol;

/// <summary>A name or label a peer sends for people to read (<c>NAME</c>, a city): bounded and printable.</summary>
public static class NodeName
{
    public const int MaxLength = 64;

    /// <summary>Trimmed, control characters dropped, at most <see cref="MaxLength"/> characters; null when nothing is left.</summary>
    public static string? Clean(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        var kept = new string(name.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)).Take(MaxLength * 2).ToArray()).Trim();
        if (kept.Length > MaxLength)
            kept = kept[..MaxLength].TrimEnd();
        return kept.Length == 0 ? null : kept;
    }
}
