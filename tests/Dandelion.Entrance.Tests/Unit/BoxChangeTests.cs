using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Redis;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Tests.Unit;

public sealed class BoxChangeTests
{
    private static readonly StoredBox Box = new()
    {
        Id = "box-0123456789abcdef0123456789abcdef", Version = 2, Ip = "203.0.113.7", Port = "8080", Sequence = 1,
        CpuNum = "4", CpuHz = "2394.454", CpuUser = "3.1", LoadAverage1 = "0.52", LoadAverage5 = "0.48", MemoryAvailable = "6123400",
        StorageQuota = 1000, StorageUsed = 100, Files = 3, BandwidthCeiling = 1000, BandwidthUsed = 10, State = "ACTIVE",
        HttpUrl = "http://203.0.113.7:8081/", Geo = new GeoLocation { Known = true, Country = "DE", Latitude = 52, Longitude = 13 },
    };

    private static readonly Dictionary<string, StoredBox> Variants = new()
    {
        ["SEQ"] = Box with { Sequence = 2 },
        ["CPU use and clock"] = Box with { CpuUser = "50.0", CpuHz = "3100.0" },
        ["memory"] = Box with { MemoryAvailable = "100" },
        ["FILES"] = Box with { Files = 4 },
        ["slower load averages"] = Box with { LoadAverage5 = "3.0" },
        ["state"] = Box with { State = "DRAINING" },
        ["address"] = Box with { Ip = "203.0.113.8" },
        ["URL"] = Box with { HttpUrl = "http://203.0.113.7:9999/" },
        ["place"] = Box with { Geo = Box.Geo with { Latitude = 48 } },
        ["ceiling"] = Box with { BandwidthCeiling = 2000 },
    };

    [Theory]
    [InlineData("SEQ")]
    [InlineData("CPU use and clock")]
    [InlineData("memory")]
    [InlineData("FILES")]
    [InlineData("slower load averages")]
    public void Figures_that_change_every_heartbeat_leave_the_fingerprint_and_parts_alone(string what) =>
        Assert.Equal(BoxChange.Of(Box), BoxChange.Of(Variants[what]));

    [Theory]
    [InlineData("state")]
    [InlineData("address")]
    [InlineData("URL")]
    [InlineData("place")]
    [InlineData("ceiling")]
    public void What_a_box_says_once_changes_the_fingerprint(string what) =>
        Assert.NotEqual(BoxChange.Of(Box).Fingerprint, BoxChange.Of(Variants[what]).Fingerprint);

    [Fact]
    public void Use_moves_the_score_parts_that_are_compared_with_a_step()
    {
        var busier = BoxChange.Of(Box with { BandwidthUsed = 500, LoadAverage1 = "3.0", StorageUsed = 900 });
        var before = BoxChange.Of(Box);
        Assert.Equal(before.Fingerprint, busier.Fingerprint);
        Assert.True(before.Bandwidth - busier.Bandwidth >= BoxChange.PartStep);
        Assert.True(before.Load - busier.Load >= BoxChange.PartStep);
        Assert.True(before.Storage - busier.Storage >= BoxChange.PartStep);
    }
}
