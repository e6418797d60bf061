using System.Net;
using Dandelion.Entrance.Configuration;
using Dandelion.Shared.Geo;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Entrance.Geo;

/// <summary>
/// Decides where a peer is, and says how (<see cref="PlaceSources"/>): GeoIP on the address
/// it came from (directly, or forwarded by a trusted proxy), or on the public address it
/// reported when it came from a private one; the location its owner stated, when GeoIP
/// cannot place it or places it more than <c>Entrance:GeoIp:StatedTolerance</c> km away;
/// otherwise the configured default.
/// </summary>
internal sealed class PlaceDecider(GeoIpLocator locator, IOptions<EntranceOptions> options)
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
        if (stated is not { IsValid: true } owner)
            return new Placement(geo, null);
        if (geo.Known && GeoDistance.Kilometres(geo.Latitude, geo.Longitude, owner.Latitude, owner.Longitude) <= _toleranceKm)
            return new Placement(geo, null);
        var used = new GeoLocation
        {
            Known = true,
            Latitude = owner.Latitude,
            Longitude = owner.Longitude,
            City = NodeName.Clean(owner.City),
            Country = NodeName.Clean(owner.Country),
            Organization = geo.Organization,
            Source = PlaceSources.Stated,
        };
        return new Placement(used, geo);
    }
}
