using Dandelion.Entrance.Redis;

namespace Dandelion.Entrance.Search;

/// <summary>
/// A stored box read once for the index: its bytes (answered as they are in BOX_SET), where
/// CONNECT_WS, HTTP_URL, NAME and GEO sit in them (copied into RANKING without parsing again), where it
/// stands, its score parts that do not depend on the searcher, the network it connected from
/// (<c>NETWORK</c>, for <c>Entrance:Search:MaxPerNetwork</c>) and the version it speaks.
/// </summary>
internal sealed record IndexRecord(
    byte[] Utf8,
    Range ConnectWs,
    Range HttpUrl,
    Range Geo,
    Range Name,
    double Latitude,
    double Longitude,
    double Bandwidth,
    double Storage,
    double Load,
    string? Network = null,
    int Version = 1)
{
    /// <summary>Null for bytes that are not a stored box.</summary>
    public static IndexRecord? Parse(byte[] utf8)
    {
        if (StoredBox.Read(utf8) is not { } box)
            return null;
        var parts = BoxScorer.Parts(BoxFigures.Of(box), 0);
        Range connectWs = default, httpUrl = default, geo = default, named = default;
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var value = new Range(start, (int)reader.BytesConsumed);
            if (name.SequenceEqual("CONNECT_WS"u8))
                connectWs = value;
            else if (name.SequenceEqual("HTTP_URL"u8))
                httpUrl = value;
            else if (name.SequenceEqual("GEO"u8))
                geo = value;
            else if (name.SequenceEqual("NAME"u8))
                named = value;
        }
        return new IndexRecord(utf8, connectWs, httpUrl, geo, named, box.Geo.Latitude, box.Geo.Longitude, parts.Bandwidth, parts.Storage, parts.Load,
            box.Network, box.SpokenVersion);
    }

    /// <summary>The raw JSON value at <paramref name="range"/>; empty when the key was absent.</summary>
    public ReadOnlySpan<byte> Value(Range range) => Utf8.AsSpan()[range];
}
