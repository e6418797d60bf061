using Dandelion.Box.Entrances;
using Dandelion.Box.Files;
using Dandelion.Box.Household;
using Dandelion.Box.Machine;
using Dandelion.Box.Traffic;

namespace Dandelion.Box;

/// <summary>
/// The box's features' services, registered in one place for <c>Program.cs</c>, as the entrance's
/// <c>EntranceServices</c> does. The features with endpoints (Node, Publishing, Serving)
/// register beside their endpoints.
/// </summary>
internal static class BoxServices
{
    public static IServiceCollection AddMachine(this IServiceCollection services) =>
        services.AddSingleton<SystemMonitor>();

    public static IServiceCollection AddFiles(this IServiceCollection services) =>
        services.AddSingleton<FileStore>()
            .AddHostedService<ExpirySweeper>();

    /// <summary>What the owner sets to keep the box kind to the household: the upload ceiling and quiet hours.</summary>
    public static IServiceCollection AddHousehold(this IServiceCollection services) =>
        services.AddSingleton<UploadBucket>()
            .AddHostedService<QuietHours>();

    public static IServiceCollection AddTraffic(this IServiceCollection services) =>
        services.AddSingleton<TrafficOutbox>()
            .AddSingleton<BandwidthMeter>()
            .AddSingleton<AccessLogFollower>()
            .AddHostedService<TrafficCollector>();

    public static IServiceCollection AddEntrances(this IServiceCollection services) =>
        services.AddSingleton<EntranceDirectory>()
            .AddSingleton<ExchangeBuilder>()
            .AddSingleton<EntranceReplies>()
            .AddHostedService<EntranceSupervisor>();
}
