namespace Dandelion.Entrance.Tests.Support;

/// <summary>Real public addresses on different continents, as GeoLite2-City places them.</summary>
public static class PublicAddresses
{
    public const string Germany = "193.99.144.80";       // heise.de, Hanover
    public const string UnitedStates = "8.8.8.8";        // Google DNS
    public const string Japan = "133.242.0.3";           // Sakura Internet
    public const string Brazil = "200.160.2.3";          // registro.br, São Paulo
    public const string Australia = "203.2.218.214";     // abc.net.au
}
