using Dandelion.Box.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Dandelion.Box.Node;

internal static class NodeServiceCollectionExtensions
{
    /// <summary>The longest a box waits for what lingers when it stops, so it exits within 2 s.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>Options (validated at start), identity, metrics, and Kestrel on the two ports.</summary>
    public static WebApplicationBuilder AddBoxNode(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BoxOptions>().BindConfiguration(BoxOptions.Section).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<BoxOptions>, BoxOptionsSetup>();
        services.AddSingleton<IValidateOptions<BoxOptions>, BoxOptionsValidator>();
        services.AddSingleton<BoxNode>();
        services.AddSingleton<BoxMetrics>();
        services.AddMetrics();
        // A stopping box leaves at once (docs/BOX.md): its sessions close on the stop signal, and
        // what still lingers (a publisher that never answers a close) is cut off after this.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = StopTimeout);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<BoxOptions>>((kestrel, box) =>
        {
            var address = IPAddress.Parse(box.Value.ListenAddress);
            // Box:Tls: both ports serve TLS only (the options validator has read the files already).
            var certificate = TlsCertificates.LoadServer(box.Value.Tls);
            kestrel.Listen(address, box.Value.Port, listen => listen.UseTlsIfGiven(certificate));
            kestrel.Listen(address, box.Value.HttpPort, listen => listen.UseTlsIfGiven(certificate));
            kestrel.AddServerHeader = false;
        });
        return builder;
    }
}
