namespace Dandelion.Entrance.Geo;

/// <summary><c>Entrance:GeoIp:TrustedProxies</c>, parsed once.</summary>
internal sealed class TrustedProxies(IEnumerable<string> addresses)
{
    public IReadOnlySet<IPAddress> Addresses { get; } = addresses.Select(a => ClientAddress.Normalize(IPAddress.Parse(a))).ToHashSet();
}
