using Dandelion.Shared.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Dandelion.Shared.Hosting;

/// <summary>What every Dandelion node sets up the same way.</summary>
public static class HostingDefaults
{
    /// <summary>Health checks with this tag decide <c>/alive</c>; all of them decide <c>/health</c>.</summary>
    public const string LiveTag = "live";

    /// <summary>
    /// Configuration (YAML, environment, command line), the clock, console logging with
    /// timestamps, and health checks.
    /// </summary>
    public static WebApplicationBuilder AddDandelionDefaults(this WebApplicationBuilder builder, string[] args)
    {
        // ASP.NET Core logs each request at Information (Hosting.Diagnostics: "Request starting",
        // "Request finished"); a publisher redirecting or a box serving thousands of requests a
        // second would spend much of its CPU writing them (BENCHMARKS.md). Warning unless any
        // configuration source says otherwise: this is the lowest of them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Microsoft.AspNetCore", "Warning")],
        });
        builder.Configuration.AddDandelionConfiguration(args);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary><c>/alive</c>: the process answers. <c>/health</c>: everything it depends on answers.</summary>
    public static IEndpointRouteBuilder MapDandelionHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health");
        endpoints.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) });
        return endpoints;
    }
}
