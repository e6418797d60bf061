using System.Net;
using Dandelion.Entrance.Geo;

namespace Dandelion.Entrance.Tests.Unit;

public sealed class ClientAddressTests
{
    private static readonly IReadOnlySet<IPAddress> Proxies = new HashSet<IPAddress> { IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2") };

    [Theory]
    // No proxy in play: the socket's address.
    [InlineData("198.51.100.7", null, "198.51.100.7")]
    // An untrusted peer cannot choose its address with the header.
    [InlineData("198.51.100.7", "8.8.8.8", "198.51.100.7")]
    // A trusted proxy: the client it forwards for.
    [InlineData("10.0.0.1", "8.8.8.8", "8.8.8.8")]
    // Through two trusted proxies: the right-most untrusted hop, not the client's own claim on the left.
    [InlineData("10.0.0.1", "1.1.1.1, 8.8.8.8, 10.0.0.2", "8.8.8.8")]
    // Garbage in the header: keep the socket's address.
    [InlineData("10.0.0.1", "not-an-ip", "10.0.0.1")]
    // An IPv4 socket address seen as IPv6-mapped.
    [InlineData("::ffff:10.0.0.1", "8.8.8.8", "8.8.8.8")]
    public void Resolves_the_client_behind_trusted_proxies_only(string remote, string? header, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), ClientAddress.Resolve(IPAddress.Parse(remote), header, Proxies));

    [Theory]
    // A public client is placed by its own address whatever it reports.
    [InlineData("198.51.100.7", "8.8.8.8", "198.51.100.7")]
    // A loopback client is placed by the public IP it reports.
    [InlineData("127.0.0.1", "8.8.8.8", "8.8.8.8")]
    // A private client reporting another private address: nothing better than its own.
    [InlineData("192.168.1.5", "10.0.0.9", "192.168.1.5")]
    // A private client reporting garbage.
    [InlineData("172.16.0.1", "localhost", "172.16.0.1")]
    public void Takes_the_reported_ip_only_from_private_or_loopback_clients(string client, string reported, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), ClientAddress.ForGeoIp(IPAddress.Parse(client), reported));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.200.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.0.1", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:4860:4860::8888", false)]
    public void Knows_private_ranges(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, ClientAddress.IsPrivate(IPAddress.Parse(address)));
}
