using System.Diagnostics;
using Dandelion.Entrance.Configuration;
using Microsoft.Extensions.Configuration;

namespace Dandelion.Entrance.Tests.Integration;

public sealed class StartupTests
{
    [Theory]
    [InlineData("Entrance:GeoIp:CityDatabase", "/nowhere/GeoLite2-City.mmdb")]
    [InlineData("Entrance:Heartbeat", "-00:00:01")]
    [InlineData("Entrance:Expiry", "00:00:00.5")]   // not longer than the heartbeat
    [InlineData("Entrance:KeyPrefix", "a{b}")]       // braces would break Redis Cluster hash tags
    [InlineData("Entrance:PublicUrl", "http://example.com/")]
    [InlineData("Entrance:Peers:0", "peer.example.com")]            // no scheme
    [InlineData("Entrance:Peers:0", "ftp://peer.example.com/")]
    [InlineData("Entrance:Version1Expiry", "00:00:00")]
    [InlineData("Entrance:GeoIp:TrustedProxies:0", "not-an-ip")]
    [InlineData("Entrance:Search:MaxCount", "0")]
    [InlineData("Entrance:MaxMessageBytes", "10")]
    [InlineData("Entrance:Tls:Certificate", "/nowhere/entrance.pem")]  // a certificate file that is not there
    [InlineData("Entrance:Tls:Key", "/nowhere/entrance.key")]          // a key without a certificate
    [InlineData("Entrance:Tls:CaBundle", "/etc/ssl/certs/ca.pem")]     // the entrance connects to no peer
    public void A_bad_setting_is_refused_with_a_message_naming_the_key(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Entrance:GeoIp:CityDatabase"] = Dandelion.Testing.RepositoryPaths.GeoLiteCity,
            [key] = value,
        };
        var options = new EntranceOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Entrance").Bind(options);
        var result = new EntranceOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(key + " ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ws://203.0.113.9:8000/dandelion/ws/")]
    [InlineData("wss://entrance-2.example.org/dandelion/ws/")]
    [InlineData("http://203.0.113.9:8000/dandelion/ws/")]      // the original's form
    [InlineData("https://entrance-2.example.org/dandelion/ws/")]
    public void A_peer_may_be_written_in_either_form(string peer)
    {
        var options = new EntranceOptions { Peers = [peer] };
        options.GeoIp.CityDatabase = Dandelion.Testing.RepositoryPaths.GeoLiteCity;
        Assert.True(new EntranceOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void The_defaults_are_valid_given_the_geoip_file()
    {
        var options = new EntranceOptions();
        options.GeoIp.CityDatabase = Dandelion.Testing.RepositoryPaths.GeoLiteCity;
        Assert.True(new EntranceOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(15), options.EffectiveExpiry);
        Assert.Equal(TimeSpan.FromSeconds(120), options.Version1Expiry);   // the original's
    }

    [Fact]
    public async Task The_real_process_stops_at_start_naming_a_missing_geoip_file()
    {
        var (exitCode, said) = await RunAsync("--Entrance:GeoIp:CityDatabase=/nowhere/city.mmdb");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Entrance:GeoIp:CityDatabase", said);
    }

    [Fact]
    public async Task The_real_process_stops_at_start_naming_a_bad_peer_without_an_unhandled_exception()
    {
        var (exitCode, said) = await RunAsync($"--Entrance:GeoIp:CityDatabase={Dandelion.Testing.RepositoryPaths.GeoLiteCity}",
            "--Entrance:Peers:0=http://203.0.113.9:8000/dandelion/ws/", "--Entrance:Peers:1=peer.example.com");
        // 2, the refused configuration's code; an unhandled exception would be 134 (SIGABRT).
        Assert.Equal(2, exitCode);
        Assert.Contains("Entrance:Peers:1 'peer.example.com'", said);
        Assert.DoesNotContain("Entrance:Peers:0", said);
        Assert.DoesNotContain("Unhandled exception", said);
    }

    /// <summary>The real entrance process, with <paramref name="settings"/>, until it exits; its exit code and all it wrote.</summary>
    private static async Task<(int ExitCode, string Said)> RunAsync(params string[] settings)
    {
        var entrance = Path.Combine(AppContext.BaseDirectory, "Dandelion.Entrance.dll");
        var directory = Directory.CreateTempSubdirectory("dandelion-entrance-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = directory,
        };
        foreach (var arg in new[] { entrance, "--urls", "http://127.0.0.1:0" }.Concat(settings))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(patience.Token);
        var said = await output + await error;
        Directory.Delete(directory, recursive: true);
        return (process.ExitCode, said);
    }
}
