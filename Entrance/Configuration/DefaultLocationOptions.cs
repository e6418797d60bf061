namespace Dandelion.Entrance.Configuration;

/// <summary><c>Entrance:GeoIp:DefaultLocation</c>: the place given to boxes GeoIP cannot place.</summary>
internal sealed class DefaultLocationOptions
{
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public string? Country { get; set; }
}
