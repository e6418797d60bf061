namespace Dandelion.Publisher.Configuration;

/// <summary><c>Publisher:Location</c>: a point sent in SEARCH as <c>LOCATION</c>.</summary>
internal sealed class LocationOptions
{
    public double Lat { get; set; }
    public double Lon { get; set; }
}
