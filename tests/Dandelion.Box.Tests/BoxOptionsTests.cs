using Dandelion.Box.Node;

namespace Dandelion.Box.Tests;

public sealed class BoxOptionsTests
{
    private static IEnumerable<string> Failures(Action<BoxOptions> change)
    {
        var options = new BoxOptions { DataDirectory = "/tmp/dandelion-options" };
        change(options);
        new BoxOptionsSetup().PostConfigure(null, options);
        return new BoxOptionsValidator().Validate(null, options).Failures ?? [];
    }

    [Fact]
    public void The_defaults_are_valid_and_paths_are_derived()
    {
        Assert.Empty(Failures(_ => { }));
        var options = new BoxOptions { DataDirectory = "relative/box" };
        new BoxOptionsSetup().PostConfigure(null, options);
        Assert.Equal(Path.GetFullPath("relative/box/files"), options.StorageDirectory);
        Assert.Equal(Path.GetFullPath("relative/box/access.log"), options.AccessLog);
    }

    [Theory]
    [InlineData("Box:Port")]              // out of range
    [InlineData("Box:HttpPort")]          // same as Port
    [InlineData("Box:Heartbeat")]         // "5" read as five days
    [InlineData("Box:MaxFileSize")]       // over the quota
    [InlineData("Box:AccessLogFormat")]   // unknown format
    [InlineData("Box:Entrances")]         // not an entrance URL (another scheme)
    [InlineData("Box:ListenAddress")]     // not an address
    [InlineData("Box:DefaultTtl")]        // over MaxTtl
    [InlineData("Box:MaxTtl")]            // over a year: expiry arithmetic stays in range
    [InlineData("Box:UploadCeiling")]     // too low to serve one stream
    [InlineData("Box:KeepDiskFree")]      // a percentage, not a share
    [InlineData("Box:QuietHours")]        // not HH:mm-HH:mm
    [InlineData("Box:AllowedOrigins")]    // '*' beside an origin
    [InlineData("Box:Location:Latitude")] // a location without its latitude would stand at 0°
    [InlineData("Box:Location:Longitude")] // out of range
    public void A_bad_value_is_refused_with_its_key(string key)
    {
        Action<BoxOptions> change = key switch
        {
            "Box:Port" => o => o.Port = 70000,
            "Box:HttpPort" => o => o.HttpPort = o.Port,
            "Box:Heartbeat" => o => o.Heartbeat = TimeSpan.FromDays(5),
            "Box:MaxFileSize" => o => o.MaxFileSize = o.StorageQuota + 1,
            "Box:AccessLogFormat" => o => o.AccessLogFormat = "json",
            "Box:Entrances" => o => o.Entrances = ["ftp://entrance/dandelion/ws/"],
            "Box:ListenAddress" => o => o.ListenAddress = "everywhere",
            "Box:DefaultTtl" => o => o.DefaultTtl = TimeSpan.FromDays(2),
            "Box:MaxTtl" => o => o.MaxTtl = TimeSpan.FromDays(400),
            "Box:UploadCeiling" => o => o.UploadCeiling = 1000,
            "Box:KeepDiskFree" => o => o.KeepDiskFree = 10,
            "Box:QuietHours" => o => o.QuietHours = ["23:00-07:00", "after dinner"],
            "Box:AllowedOrigins" => o => o.AllowedOrigins = ["*", "https://caster.example"],
            "Box:Location:Latitude" => o => o.Location = new() { Longitude = 13.405, City = "Berlin" },
            "Box:Location:Longitude" => o => o.Location = new() { Latitude = 52.52, Longitude = 200 },
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };
        var failure = Assert.Single(Failures(change));
        Assert.StartsWith(key + " ", failure);
    }

    [Fact]
    public void A_default_ttl_of_zero_is_refused_because_every_file_expires()
    {
        var failure = Assert.Single(Failures(o => o.DefaultTtl = TimeSpan.Zero));
        Assert.StartsWith("Box:DefaultTtl ", failure);
    }

    [Fact]
    public void A_location_giving_only_a_city_is_valid_for_the_entrance_to_look_up_but_one_coordinate_or_nothing_is_refused()
    {
        // The entrance looks a city up in its gazetteer (issue 13); before it did, a city alone was refused here.
        Assert.Empty(Failures(o => o.Location = new() { City = "Lyon", Country = "FR" }));
        Assert.Empty(Failures(o => o.Location = new() { City = "Lyon" }));
        Assert.Empty(Failures(o => o.Location = new() { Latitude = 52.52, Longitude = 13.405, City = "Berlin", Country = "DE" }));
        // One coordinate would stand the box on the equator or the meridian.
        var failure = Assert.Single(Failures(o => o.Location = new() { Latitude = 45.75, City = "Lyon" }));
        Assert.StartsWith("Box:Location:Longitude must be set with Latitude", failure);
        // A location with neither coordinates nor a city says nothing.
        failure = Assert.Single(Failures(o => o.Location = new() { Country = "FR" }));
        Assert.StartsWith("Box:Location:Latitude must be set (with Longitude), or Location:City given", failure);
    }
}
