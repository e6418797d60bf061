namespace Dandelion.Shared.Telemetry;

/// <summary>
/// The <c>Telemetry</c> sub-section of each program's section (<c>Entrance:Telemetry</c>,
/// <c>Box:Telemetry</c>, <c>Publisher:Telemetry</c>): where metrics, traces and logs go.
/// Read once while the host is built (it decides what is registered) and validated with
/// the program's own options. docs/OPERATIONS.md lists what is exported.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>OTLP collector URL (e.g. <c>http://collector:4317</c>); metrics, traces and logs are pushed there. Default not set: no OTLP.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default, port 4317) or <c>http/protobuf</c> (port 4318, URL ending in the signal's path is added by the exporter).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Serve the metrics for a Prometheus scrape at <see cref="PrometheusPath"/>. Default false.</summary>
    public bool Prometheus { get; set; }

    /// <summary>Path of the scrape endpoint. Default <c>/metrics</c>.</summary>
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary><c>text</c> (default: one line per entry) or <c>json</c> (one JSON object per line, for log shippers).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>What is wrong, one message per key, each naming <c>{section}:Telemetry:{key}</c>.</summary>
    public IEnumerable<string> Problems(string section)
    {
        var prefix = $"{section}:{Section}";
        if (OtlpEndpoint is not null && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return $"{prefix}:OtlpEndpoint must be an absolute http(s) URL, not '{OtlpEndpoint}'.";
        if (OtlpProtocol is not ("grpc" or "http/protobuf"))
            yield return $"{prefix}:OtlpProtocol must be 'grpc' or 'http/protobuf', not '{OtlpProtocol}'.";
        if (!PrometheusPath.StartsWith('/') || PrometheusPath.Length < 2 || PrometheusPath.Contains('?', StringComparison.Ordinal))
            yield return $"{prefix}:PrometheusPath must be a path such as /metrics, not '{PrometheusPath}'.";
        if (LogFormat is not ("text" or "json"))
            yield return $"{prefix}:LogFormat must be 'text' or 'json', not '{LogFormat}'.";
    }
}
