namespace Dandelion.Entrance.Redis;

/// <summary>
/// The Redis Cluster hash slot of a key: CRC16 (XMODEM) of its hash tag (the text between the
/// first <c>{</c> and the next <c>}</c> when non-empty, else the whole key) modulo 16384, as in
/// the cluster specification. Used to choose bucket tags that spread evenly over the masters.
/// </summary>
internal static class ClusterSlot
{
    public const int Count = 16384;

    public static int Of(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open >= 0)
        {
            var close = key.IndexOf('}', open + 1);
            if (close > open + 1)
                key = key[(open + 1)..close];
        }
        return Crc16(Encoding.UTF8.GetBytes(key)) % Count;
    }

    public static int Crc16(ReadOnlySpan<byte> bytes)
    {
        var crc = 0;
        foreach (var b in bytes)
        {
            crc ^= b << 8;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
        }
        return crc;
    }
}
