using System.Globalization;
using System.Text.Json;
using Dandelion.Shared.Protocol;

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

    public bool IsEmpty => Numbered.Count == 0 && Keyed.Count == 0;

    public static TrafficBatch Read(ExchangeRequest exchange, JsonElement root)
    {
        var batch = new TrafficBatch();
        if (exchange.Traffic is { } entries)
        {
            foreach (var entry in entries)
            {
                if (entry is not null && entry.Id >= 0)
                    batch.Numbered.Add((entry.Id, Math.Max(0, entry.Size)));
            }
        }

        foreach (var property in root.EnumerateObject())
        {
            var at = property.Name.IndexOf(V1Marker, StringComparison.Ordinal);
            if (at < 0 || property.Value.ValueKind != JsonValueKind.Object)
                continue;
            batch.Keyed.Add((property.Name[(at + V1Marker.Length)..], Size(property.Value)));
        }
        return batch;
    }

    public static bool IsTrafficKey(string name) => name.Contains(V1Marker, StringComparison.Ordinal);

    private static long Size(JsonElement entry)
    {
        if (!entry.TryGetProperty("size", out var size))
            return 0;
        if (size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var number))
            return Math.Max(0, number);
        if (size.ValueKind == JsonValueKind.String &&
            long.TryParse(size.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var text))
            return text;
        return 0;
    }
}
