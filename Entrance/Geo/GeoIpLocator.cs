using Dandelion.Entrance.Configuration;
using MaxMind.Db;
using MaxMind.GeoIP2;

namespace Dandelion.Entrance.Geo;

/// <summary>
/// Places an address with GeoLite2-City (and GeoLite2-ASN when configured). The databases
/// are memory-mapped once and read lock-free by every session.
/// </summary>
internal sealed class GeoIpLocator : IDisposable
{
    private readonly DatabaseReader _city;
    private readonly DatabaseReader? _asn;
    private readonly DefaultLocationOptions _default;

    public GeoIpLocator(IOptions<EntranceOptions> options)
    {
        var geo = options.Value.GeoIp;
        _city = new DatabaseReader(geo.CityDatabase, FileAccessMode.MemoryMapped);
        _asn = string.IsNullOrEmpty(geo.AsnDatabase) ? null : new DatabaseReader(geo.AsnDatabase, FileAccessMode.MemoryMapped);
        _default = geo.DefaultLocation;
    }

    /// <summary>Where <paramref name="address"/> is; an address the database does not know gets the configured default with <c>KNOWN</c> false.</summary>
    public GeoLocation Locate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();

        string? organization = null;
        if (_asn is not null && TryRead(() => _asn.TryAsn(address, out var asn) ? asn : null) is { } asnResponse)
            organization = asnResponse.AutonomousSystemOrganization;

        if (TryRead(() => _city.TryCity(address, out var city) ? city : null) is { Location.HasCoordinates: true } found)
        {
            return new GeoLocation
            {
                Known = true,
                Country = found.Country.IsoCode ?? found.RegisteredCountry.IsoCode,
                City = found.City.Name,
                Region = found.MostSpecificSubdivision.Name,
                Latitude = found.Location.Latitude!.Value,
                Longitude = found.Location.Longitude!.Value,
                Organization = organization,
            };
        }

        return Unknown(organization);
    }

    public GeoLocation Unknown(string? organization = null) => new()
    {
        Known = false,
        Country = _default.Country,
        Latitude = _default.Latitude,
        Longitude = _default.Longitude,
        Organization = organization,
    };

    public void Dispose()
    {
        _city.Dispose();
        _asn?.Dispose();
    }

    // A corrupt record is the database's fault, not the box's: place the box as unknown.
    private static T? TryRead<T>(Func<T?> read) where T : class
    {
        try
        {
            return read();
        }
        catch (InvalidDatabaseException)
        {
            return null;
        }
    }
}
