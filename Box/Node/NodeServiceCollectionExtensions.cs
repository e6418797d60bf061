using System.Net;
using Dandelion.Box.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Node;

internal static class NodeServiceCollectionExtensions
{
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
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<BoxOptions>>((kestrel, box) =>
        {
            var address = IPAddress.Parse(box.Value.ListenAddress);
            kestrel.Listen(address, box.Value.Port);
            kestrel.Listen(address, box.Value.HttpPort);
            kestrel.AddServerHeader = false;
        });
        return builder;
    }
}
