using Dandelion.Shared.Telemetry;

namespace Dandelion.Shared.Tests;

public sealed class TelemetryOptionsTests
{
    [Fact]
    public void The_defaults_are_accepted() => Assert.Empty(new TelemetryOptions().Problems("Box"));

    [Theory]
    // Not a URL at all.
    [InlineData("OtlpEndpoint", "collector:4317", "Box:Telemetry:OtlpEndpoint")]
    // A scheme the exporter cannot speak.
    [InlineData("OtlpEndpoint", "ftp://collector:4317", "Box:Telemetry:OtlpEndpoint")]
    // A protocol name misspelt.
    [InlineData("OtlpProtocol", "http", "Box:Telemetry:OtlpProtocol")]
    // A path without its slash, and one with a query.
    [InlineData("PrometheusPath", "metrics", "Box:Telemetry:PrometheusPath")]
    [InlineData("PrometheusPath", "/metrics?x=1", "Box:Telemetry:PrometheusPath")]
    // A log format the console has no formatter for.
    [InlineData("LogFormat", "xml", "Box:Telemetry:LogFormat")]
    public void A_bad_value_is_named_by_its_key(string key, string value, string expected)
    {
        var options = new TelemetryOptions();
        typeof(TelemetryOptions).GetProperty(key)!.SetValue(options, value);

        var problem = Assert.Single(options.Problems("Box"));

        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }
}
