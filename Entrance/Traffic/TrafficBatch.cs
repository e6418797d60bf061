namespace Dandelion.Entrance.Traffic;

/// <summary>
/// The traffic entries of one EXCHANGE: version 2 entries by rising id, version 1 entries by
/// their <c>log-…</c> key (the original sends each twice, so the key is what makes it once).
/// </summary>
internal sealed class TrafficBatch
{
    public const string V1Marker = ":TRAFFIC_FLOW:";

    public List<(long Id, long Size)> Numbered { get; } = [];
    public List<(string Key, long Size)> Keyed { get; } = [];

    /// <summary>Whose file each entry served, in the script's order (<see cref="Numbered"/>, then <see cref="Keyed"/>); null: no one's.</summary>
    public List<ServedFile?> Served { get; } = [];

    public bool IsEmpty => Numbered.Count == 0 && Keyed.Count == 0;

    /// <summary>A numbered entry's size that moves the mark but counts nothing: its claim was refused.</summary>
    public const long Refused = -1;

    /// <param name="maxSize">Largest size an entry may claim (<c>Entrance:MaxTrafficSize</c>); one outside 0..this is refused.</param>
    public static TrafficBatch Read(ExchangeRequest exchange, JsonElement root, long maxSize)
    {
        var batch = new TrafficBatch();
        if (exchange.Traffic is { } entries)
        {
            foreach (var entry in entries)
            {
                // A forged size still consumes its ID: a retry of the same entry is not counted either.
                if (entry is not null && entry.Id >= 0)
                {
                    batch.Numbered.Add((entry.Id, entry.Size is >= 0 && entry.Size <= maxSize ? entry.Size : Refused));
                    batch.Served.Add(ServedFile.From(entry.Url, entry.Status));
                }
            }
        }

        foreach (var property in root.EnumerateObject())
        {
            var at = property.Name.IndexOf(V1Marker, StringComparison.Ordinal);
            if (at < 0 || property.Value.ValueKind != JsonValueKind.Object)
                continue;
            if (Size(property.Value) is >= 0 and var size && size <= maxSize)
            {
                batch.Keyed.Add((property.Name[(at + V1Marker.Length)..], size));
                batch.Served.Add(ServedFile.FromVersion1(Text(property.Value, "url"), Text(property.Value, "status")));
            }
        }
        return batch;
    }

    public static bool IsTrafficKey(string name) => name.Contains(V1Marker, StringComparison.Ordinal);

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static long Size(JsonElement entry)
    {
        if (!entry.TryGetProperty("size", out var size))
            return 0;
        if (size.ValueKind == JsonValueKind.Number)
            return size.TryGetInt64(out var number) ? number : Refused;
        if (size.ValueKind == JsonValueKind.String)
            // The original's sizes are digit strings; garbled text counts the request with no bytes, as before.
            return long.TryParse(size.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var text) ? text : 0;
        return 0;
    }
}
