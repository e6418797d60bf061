using Dandelion.Entrance.Auth;
using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Dashboard;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.History;
using Dandelion.Entrance.Operators;
using Dandelion.Entrance.Publishers;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Search;
using Dandelion.Entrance.Sessions;
using Dandelion.Entrance.Telemetry;
using Dandelion.Entrance.Traffic;

namespace Dandelion.Entrance;

/// <summary>The entrance's features, registered in one place for <c>Program.cs</c>.</summary>
internal static class EntranceServices
{
    public static WebApplicationBuilder AddEntranceOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EntranceOptions>().Bind(builder.Configuration.GetSection(EntranceOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EntranceOptions>, EntranceOptionsValidator>();
        builder.Services.AddSingleton(sp => EntranceIdentity.Load(sp.GetRequiredService<IOptions<EntranceOptions>>().Value));
        // Entrance:Tls:Certificate is the certificate of every https:// URL Kestrel listens on
        // (--urls https://…, ASPNETCORE_HTTPS_PORTS). Read from configuration, not the options: a bad
        // file is the options validator's to refuse at start, naming the key (exit 2), not Kestrel's.
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var tls = context.Configuration.GetSection($"{EntranceOptions.Section}:{nameof(EntranceOptions.Tls)}").Get<TlsOptions>() ?? new();
            if (tls.Serves && !TlsCertificates.Check(tls, "").Any())
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = TlsCertificates.LoadServer(tls));
        });
        return builder;
    }

    public static WebApplicationBuilder AddRedisStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RedisConnection>();
        builder.Services.AddSingleton<FeedPosition>();
        builder.Services.AddHostedSingleton<ReplicationWatch>();
        builder.Services.AddSingleton(sp => RedisResilience.Create(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return builder;
    }

    public static WebApplicationBuilder AddGeoIp(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GeoIpLocator>();
        builder.Services.AddSingleton<Gazetteer>();
        builder.Services.AddHostedService<GazetteerLoad>();
        builder.Services.AddSingleton<PlaceDecider>();
        return builder;
    }

    public static WebApplicationBuilder AddBoxes(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BoxRegistry>();
        builder.Services.AddSingleton<ExchangeHandler>();
        builder.Services.AddSingleton<ServedTally>();
        builder.Services.AddSingleton<ServedStore>();
        builder.Services.AddHostedService<ServedFlusher>();
        builder.Services.AddHostedService<BoxSweeper>();
        builder.Services.AddHostedSingleton<BoxCommandRelay>();
        // Made (and auth-off warned about) as the host starts, not at the first message.
        builder.Services.AddHostedSingleton<NodeSecret>();
        builder.Services.AddSingleton<CredentialStore>();
        builder.Services.AddHostedSingleton<RevocationList>();
        builder.Services.AddSingleton<NodeAuthenticator>();
        builder.Services.AddSingleton<GrantSigner>();
        builder.Services.AddSingleton<EntranceMetrics>();
        builder.Services.AddHostedSingleton<HistoryRecorder>();
        return builder;
    }

    public static WebApplicationBuilder AddSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<BoxIndex>();
        builder.Services.AddSingleton<BucketLoader>();
        builder.Services.AddHostedSingleton<IndexFeed>();
        builder.Services.AddHostedSingleton<SearchCounter>();
        builder.Services.AddSingleton<SearchHandler>();
        builder.Services.AddHostedSingleton<SearchRecorder>();
        builder.Services.AddSingleton<PublisherRegistry>();
        return builder;
    }

    public static WebApplicationBuilder AddSessions(this WebApplicationBuilder builder)
    {
        builder.Services.AddSessions();
        return builder;
    }

    public static WebApplicationBuilder AddOperatorApi(this WebApplicationBuilder builder)
    {
        // Made (and printed, the first time) as the host starts, after the options are validated, not at the first request.
        builder.Services.AddHostedSingleton<OperatorKey>();
        builder.Services.AddSingleton<BoxQueries>();
        builder.Services.AddSingleton<NetworkReader>();
        builder.Services.AddSingleton<HistoryQueries>();
        return builder;
    }
}
