namespace Dandelion.Box.Traffic;

internal static class TrafficServiceCollectionExtensions
{
    public static IServiceCollection AddTraffic(this IServiceCollection services)
    {
        services.AddSingleton<TrafficOutbox>();
        services.AddSingleton<BandwidthMeter>();
        services.AddSingleton<AccessLogFollower>();
        services.AddHostedService<TrafficCollector>();
        return services;
    }
}
