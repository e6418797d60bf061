using Dandelion.Shared.Configuration;
using Microsoft.Extensions.Configuration;

namespace Dandelion.Shared.Hosting;

/// <summary>
/// <c>Dandelion.{App} healthcheck [url] [settings]</c>: asks a running node's <c>/health</c>
/// and exits 0 when it answers 200, 1 otherwise. Container images built on
/// <c>mcr.microsoft.com/dotnet/aspnet</c> have neither curl nor wget, so Docker's health
/// check runs the app itself in this mode.
/// </summary>
/// <remarks>
/// Without a URL, the port is read from the same settings the node reads (YAML file,
/// <c>DANDELION_</c> variables, the command line): <paramref name="portKey"/> when the app
/// binds its own port, else ASP.NET Core's <c>urls</c> / <c>http_ports</c> (also as
/// <c>ASPNETCORE_URLS</c> / <c>ASPNETCORE_HTTP_PORTS</c>, which a container sets), else
/// ASP.NET Core's default 5000. The probe always asks loopback.
/// </remarks>
public static class HealthProbe
{
    public const string Verb = "healthcheck";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>When <paramref name="args"/> asks for the probe, runs it and ends the process with its exit code.</summary>
    public static void ExitIfRequested(string[] args, string? portKey = null, int defaultPort = 5000)
    {
        if (args is not [Verb, ..])
            return;
        Environment.Exit(Run(args[1..], portKey, defaultPort, Console.Out));
    }

    /// <summary>The probe itself: 0 when <c>/health</c> answers 200, else 1 (with the reason on <paramref name="output"/>).</summary>
    public static int Run(string[] args, string? portKey, int defaultPort, TextWriter output)
    {
        Uri target;
        try
        {
            target = args is [var first, ..] && Uri.TryCreate(first, UriKind.Absolute, out var given) && given.Scheme is "http" or "https"
                ? given
                : new Uri($"http://127.0.0.1:{FindPort(args, portKey, defaultPort)}/health");
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or FileNotFoundException or InvalidDataException)
        {
            output.WriteLine($"unhealthy: cannot tell where to ask ({ex.Message})");
            return 1;
        }

        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, target));
            var healthy = response.StatusCode == System.Net.HttpStatusCode.OK;
            output.WriteLine($"{(healthy ? "healthy" : "unhealthy")}: {target} answered {(int)response.StatusCode}");
            return healthy ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            output.WriteLine($"unhealthy: {target}: {ex.Message}");
            return 1;
        }
    }

    internal static int FindPort(string[] args, string? portKey, int defaultPort)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddDandelionConfiguration(args)
            .Build();

        if (portKey is not null)
            return configuration.GetValue(portKey, defaultPort);

        if (configuration["urls"] is { Length: > 0 } urls)
        {
            var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            // "http://+:8000", "http://*:8000" and "http://0.0.0.0:8000" are not URIs Uri accepts as they are.
            var port = first[(first.LastIndexOf(':') + 1)..].TrimEnd('/');
            return int.TryParse(port, out var parsed) ? parsed : throw new FormatException($"no port in urls '{urls}'");
        }
        if (configuration["http_ports"] is { Length: > 0 } ports)
        {
            var first = ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
            return int.TryParse(first, out var parsed) ? parsed : throw new FormatException($"'{ports}' in http_ports is not a port");
        }
        return defaultPort;
    }
}
