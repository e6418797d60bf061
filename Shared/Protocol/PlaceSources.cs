namespace Dandelion.Shared.Protocol;

/// <summary>How an entrance decided where a peer is: the <c>SOURCE</c> of <c>GEO</c>.</summary>
public static class PlaceSources
{
    /// <summary>GeoIP on the address the connection came from.</summary>
    public const string GeoIp = "geoip";
    /// <summary>GeoIP on the address a trusted proxy (nginx) forwarded in <c>X-Forwarded-For</c>.</summary>
    public const string Proxy = "proxy";
    /// <summary>GeoIP on the public address the peer reported in <c>IP</c> (it connected from a private one).</summary>
    public const string Reported = "reported";
    /// <summary>The <c>LOCATION</c> the box's owner stated: GeoIP could not place it, or placed it farther than the tolerance.</summary>
    public const string Stated = "stated";
    /// <summary>Nothing placed it: the operator's configured default.</summary>
    public const string Default = "default";
}
