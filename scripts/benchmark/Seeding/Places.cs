using System.Net;
using MaxMind.GeoIP2;

namespace Dandelion.Benchmark.Seeding;

/// <summary>
/// Public IPv4 addresses the GeoLite2 database places in a city, drawn at random (fixed seed)
/// over the address space, so simulated boxes and publishers stand where real address space is:
/// many in North America, Europe and East Asia, few in the oceans. <see cref="OneCity"/> are the
/// addresses of the city drawn most often: every box there stands at one point, the worst case
/// for "the nearest n".
/// </summary>
internal sealed record Places(string[] World, string[] OneCity, string CityName)
{
    public static Places Draw(string database, int count)
    {
        using var reader = new DatabaseReader(database);
        var random = new Random(10);
        var world = new List<(string Ip, string City)>(count);
        Span<byte> bytes = stackalloc byte[4];
        for (var tries = 0; world.Count < count && tries < count * 50; tries++)
        {
            random.NextBytes(bytes);
            if (bytes[0] is 0 or 10 or 127 or >= 224 || (bytes[0] == 100 && bytes[1] >= 64 && bytes[1] < 128)
                || (bytes[0] == 172 && bytes[1] is >= 16 and < 32) || (bytes[0] == 192 && bytes[1] == 168) || (bytes[0] == 169 && bytes[1] == 254))
                continue;
            var address = new IPAddress(bytes);
            if (reader.TryCity(address, out var city) && city?.City.Name is { } name && city.Location.HasCoordinates)
                world.Add((address.ToString(), $"{name}, {city.Country.IsoCode}"));
        }
        var top = world.GroupBy(w => w.City).MaxBy(g => g.Count())!;
        return new Places(world.Select(w => w.Ip).ToArray(), top.Select(w => w.Ip).ToArray(), top.Key);
    }
}
