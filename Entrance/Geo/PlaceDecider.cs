using Dandelion.Entrance.Configuration;
using Dandelion.Shared.Geo;

namespace Dandelion.Entrance.Geo;

/// <summary>
/// Decides where a peer is, and says how (<see cref="PlaceSources"/>): GeoIP on the address
/// it came from (directly, or forwarded by a trusted proxy), or on the public address it
/// reported when it came from a private one; the location its owner stated (coordinates, or a
/// city looked up in the <see cref="Gazetteer"/>), when GeoIP cannot place it or places it more
/// than <c>Entrance:GeoIp:StatedTolerance</c> km away; otherwise the configured default.
/// </summary>
internal sealed class PlaceDecider(GeoIpLocator locator, Gazetteer gazetteer, IOptions<EntranceOptions> options)
{
    private readonly double _toleranceKm = options.Value.GeoIp.StatedTolerance;

    public Placement Decide(IPAddress client, bool viaProxy, string? reportedIp, StatedLocation? stated)
    {
        var address = ClientAddress.ForGeoIp(client, reportedIp);
        var geo = locator.Locate(address);
        geo = geo with
        {
            Source = !geo.Known ? PlaceSources.Default
                : !address.Equals(client) ? PlaceSources.Reported
                : viaProxy ? PlaceSources.Proxy
                : PlaceSources.GeoIp,
        };
        if (stated is null)
            return new Placement(geo, null);
        var (owner, note) = Read(stated);
        if (owner is not { Latitude: { } latitude, Longitude: { } longitude })
            return new Placement(geo, null, owner, note);
        if (geo.Known && GeoDistance.Kilometres(geo.Latitude, geo.Longitude, latitude, longitude) <= _toleranceKm)
            return new Placement(geo, null, owner, note);
        var used = new GeoLocation
        {
            Known = true,
            Latitude = latitude,
            Longitude = longitude,
            City = owner.City,
            Country = owner.Country,
            Organization = geo.Organization,
            Source = PlaceSources.Stated,
        };
        return new Placement(used, geo, owner, note);
    }

    /// <summary>
    /// The owner's word as kept: labels cleaned (a hostile box sends anything), coordinates as
    /// stated when valid, else those of the stated city when the gazetteer knows exactly one.
    /// </summary>
    private (StatedLocation Owner, string? Note) Read(StatedLocation stated)
    {
        var country = stated.Country is { Length: 2 } code && code.All(char.IsAsciiLetter) ? code.ToUpperInvariant() : null;
        var owner = new StatedLocation { City = NodeName.Clean(stated.City), Country = country };
        if (stated.HasCoordinates)
            return (owner with { Latitude = stated.Latitude, Longitude = stated.Longitude }, null);
        if (string.IsNullOrEmpty(stated.City))
            return (owner, null);
        var (city, note) = gazetteer.Find(stated.City, country);
        return city is { } found
            ? (owner with { Latitude = found.Latitude, Longitude = found.Longitude, Country = found.Country }, note)
            : (owner, note);
    }
}
