using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dandelion.Shared.Telemetry;

/// <summary>
/// OpenTelemetry for one program: its own meter and activity source (both named
/// <c>Dandelion.{Role}</c>), ASP.NET Core, HttpClient and runtime metrics; OTLP when
/// <see cref="TelemetryOptions.OtlpEndpoint"/> is set, a Prometheus scrape endpoint when
/// <see cref="TelemetryOptions.Prometheus"/> is on, and the console log format.
/// </summary>
public static class TelemetrySetup
{
    /// <param name="section">The program's configuration section (<c>Entrance</c>, <c>Box</c>, <c>Publisher</c>).</param>
    /// <param name="source">Its meter's and activity source's name, e.g. <c>Dandelion.Entrance</c>.</param>
    public static WebApplicationBuilder AddDandelionTelemetry(this WebApplicationBuilder builder, string section, string source)
    {
        // Read now: what is registered depends on it. A bad value is reported by the program's
        // options validation at start, so here it only falls back to doing less.
        var options = builder.Configuration.GetSection($"{section}:{TelemetryOptions.Section}").Get<TelemetryOptions>() ?? new();
        builder.Services.AddSingleton(options);

        if (options.LogFormat == "json")
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }

        var otlp = options.OtlpEndpoint is { } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var url) ? url : null;
        // With no exporter nothing would leave the process: the SDK is not even started (the
        // meters still measure, for anything listening in process).
        if (otlp is null && !options.Prometheus)
            return builder;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService($"dandelion-{section.ToLowerInvariant()}"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(source)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (options.Prometheus)
                    metrics.AddPrometheusExporter();
            });

        if (otlp is not null)
        {
            // Traces cost a span per request, so they are recorded only when something takes them.
            telemetry.WithTracing(tracing => tracing
                .AddSource(source)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path.Value, options))
                .AddHttpClientInstrumentation());
            telemetry.UseOtlpExporter(options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc, otlp);
        }
        return builder;
    }

    /// <summary>The Prometheus scrape endpoint, when it is on.</summary>
    public static IEndpointRouteBuilder MapDandelionTelemetry(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<TelemetryOptions>();
        if (options.Prometheus)
            endpoints.MapPrometheusScrapingEndpoint(options.PrometheusPath);
        return endpoints;
    }

    private static bool IsProbe(string? path, TelemetryOptions options) =>
        path is "/alive" or "/health" || string.Equals(path, options.PrometheusPath, StringComparison.Ordinal);
}
