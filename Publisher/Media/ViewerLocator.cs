using System.Net;
using Dandelion.Publisher.Configuration;
using MaxMind.GeoIP2;
using Microsoft.Extensions.Options;

namespace Dandelion.Publisher.Media;

/// <summary>Places a viewer by address with the configured MaxMind City database; without one, nobody is placed.</summary>
internal sealed class ViewerLocator : IDisposable
{
    private readonly DatabaseReader? _reader;

    public ViewerLocator(IOptions<PublisherOptions> options)
    {
        if (options.Value.GeoIp.CityDatabase is { Length: > 0 } path)
            _reader = new DatabaseReader(path);
    }

    /// <summary>Latitude and longitude of the address, when the database knows it.</summary>
    public (double Lat, double Lon)? Locate(IPAddress? address)
    {
        if (_reader is null || address is null)
            return null;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (!_reader.TryCity(address, out var city) || city?.Location is not { Latitude: { } lat, Longitude: { } lon })
            return null;
        return (lat, lon);
    }

    public void Dispose() => _reader?.Dispose();
}
