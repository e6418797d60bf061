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
    [InlineData("Entrance:Peers:0", "peer.example.com")]
    [InlineData("Entrance:GeoIp:TrustedProxies:0", "not-an-ip")]
    [InlineData("Entrance:Search:MaxCount", "0")]
    [InlineData("Entrance:MaxMessageBytes", "10")]
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

    [Fact]
    public void The_defaults_are_valid_given_the_geoip_file()
    {
        var options = new EntranceOptions();
        options.GeoIp.CityDatabase = Dandelion.Testing.RepositoryPaths.GeoLiteCity;
        Assert.True(new EntranceOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(15), options.EffectiveExpiry);
    }

    [Fact]
    public async Task The_real_process_stops_at_start_naming_a_missing_geoip_file()
    {
        var entrance = Path.Combine(AppContext.BaseDirectory, "Dandelion.Entrance.dll");
        var directory = Directory.CreateTempSubdirectory("dandelion-entrance-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = directory,
        };
        foreach (var arg in new[] { entrance, "--urls", "http://127.0.0.1:0", "--Entrance:GeoIp:CityDatabase=/nowhere/city.mmdb" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(patience.Token);
        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Entrance:GeoIp:CityDatabase", await output + await error);
        Directory.Delete(directory, recursive: true);
    }
}
