using System.Net;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Testing;
using Dandelion.Entrance.Tests.Support;
using Microsoft.Extensions.Options;

namespace Dandelion.Entrance.Tests.Unit;

public sealed class GeoIpLocatorTests
{
    private static GeoIpLocator Locator(DefaultLocationOptions? fallback = null) =>
        new(Options.Create(new EntranceOptions
        {
            GeoIp = new GeoIpOptions { CityDatabase = RepositoryPaths.GeoLiteCity, DefaultLocation = fallback ?? new DefaultLocationOptions() },
        }));

    [Theory]
    [MemberData(nameof(KnownAddresses))]
    public void Places_real_public_addresses_in_their_country(string address, string country)
    {
        using var locator = Locator();
        var place = locator.Locate(IPAddress.Parse(address));
        Assert.True(place.Known, $"{address} should be known");
        Assert.Equal(country, place.Country);
    }

    public static TheoryData<string, string> KnownAddresses() => new()
    {
        { PublicAddresses.Germany, "DE" },
        { PublicAddresses.UnitedStates, "US" },
        { PublicAddresses.Japan, "JP" },
        { PublicAddresses.Brazil, "BR" },
        { PublicAddresses.Australia, "AU" },
    };

    [Theory]
    [InlineData("127.0.0.1")]   // loopback: never in a GeoIP database
    [InlineData("10.1.2.3")]    // private network
    [InlineData("::1")]
    [InlineData("192.0.2.1")]   // TEST-NET-1, documentation only
    public void An_address_the_database_does_not_know_gets_the_configured_default(string address)
    {
        using var locator = Locator(new DefaultLocationOptions { Latitude = 48.85, Longitude = 2.35, Country = "FR" });
        var place = locator.Locate(IPAddress.Parse(address));
        Assert.False(place.Known);
        Assert.Equal("FR", place.Country);
        Assert.Equal(48.85, place.Latitude);
        Assert.Equal(2.35, place.Longitude);
    }
}
