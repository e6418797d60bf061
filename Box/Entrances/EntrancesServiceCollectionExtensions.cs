namespace Dandelion.Box.Entrances;

internal static class EntrancesServiceCollectionExtensions
{
    public static IServiceCollection AddEntrances(this IServiceCollection services)
    {
        services.AddSingleton<EntranceDirectory>();
        services.AddSingleton<ExchangeBuilder>();
        services.AddSingleton<EntranceReplies>();
        services.AddHostedService<EntranceSupervisor>();
        return services;
    }
}
