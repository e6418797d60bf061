using Dandelion.Publisher.Configuration;

namespace Dandelion.Publisher.Tests;

public sealed class OptionsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dandelion-options-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task The_app_does_not_start_with_a_bad_value_and_says_which_key()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            PublisherHost.StartAsync([], new Dictionary<string, string?> { ["Publisher:Replication"] = "9" }));
        Assert.Contains("Publisher:Replication", error.Message);
    }

    [Fact]
    public void The_defaults_are_valid() =>
        Assert.True(new PublisherOptionsValidator().Validate(null, new PublisherOptions()).Succeeded);

    [Theory]
    [InlineData("Entrances", "Publisher:Entrances:0")]                 // not an entrance URL (another scheme)
    [InlineData("Replication", "Publisher:Replication")]               // more copies than boxes
    [InlineData("Boxes", "Publisher:Boxes")]                           // no box at all
    [InlineData("Port", "Publisher:Port")]                             // not a port
    [InlineData("SendTimeout", "Publisher:SendTimeout")]               // zero
    [InlineData("DefaultTtl", "Publisher:DefaultTtl")]                 // not whole seconds
    [InlineData("QueueLimit", "Publisher:QueueLimit")]                 // zero
    [InlineData("PublishDirectories", "Publisher:PublishDirectories:0")] // does not exist
    [InlineData("SameNames", "share the name")]                        // two directories published under one name
    [InlineData("GeoIp", "Publisher:GeoIp:CityDatabase")]              // no such database
    [InlineData("CaBundle", "Publisher:BoxTls:CaBundle")]              // no such file
    [InlineData("NotPem", "Publisher:BoxTls:CaBundle")]                // a file with no certificate in it
    [InlineData("Pin", "Publisher:BoxTls:PinnedFingerprints:0")]       // a SHA-1 fingerprint, not SHA-256
    [InlineData("Origins", "Publisher:AllowedOrigins:0")]              // a page's URL, not its origin
    public void A_bad_value_is_refused_with_a_message_naming_its_key(string what, string named)
    {
        var options = new PublisherOptions();
        switch (what)
        {
            case "Entrances": options.Entrances = ["ftp://entrance/"]; break;
            case "Replication": options.Replication = 7; break;
            case "Boxes": options.Boxes = 0; options.Replication = 0; break;
            case "Port": options.Port = 70000; break;
            case "SendTimeout": options.SendTimeout = TimeSpan.Zero; break;
            case "DefaultTtl": options.DefaultTtl = TimeSpan.FromMilliseconds(1500); break;
            case "QueueLimit": options.QueueLimit = 0; break;
            case "PublishDirectories": options.PublishDirectories = [Path.Combine(_root, "missing")]; break;
            case "SameNames":
                options.PublishDirectories = [Directory.CreateDirectory(Path.Combine(_root, "a", "hls")).FullName, Directory.CreateDirectory(Path.Combine(_root, "b", "hls")).FullName];
                break;
            case "GeoIp": options.GeoIp.CityDatabase = Path.Combine(_root, "none.mmdb"); break;
            case "CaBundle": options.BoxTls.CaBundle = Path.Combine(_root, "none.pem"); break;
            case "NotPem":
                File.WriteAllText(Path.Combine(_root, "empty.pem"), "not a certificate");
                options.BoxTls.CaBundle = Path.Combine(_root, "empty.pem");
                break;
            case "Origins": options.AllowedOrigins = ["https://caster.example/watch.html"]; break;
            case "Pin": options.BoxTls.PinnedFingerprints = ["AB:CD:" + new string('0', 36)]; break;
        }
        var result = new PublisherOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage);
    }
}
