namespace Dandelion.Box.Machine;

internal static class MachineServiceCollectionExtensions
{
    public static IServiceCollection AddMachine(this IServiceCollection services) =>
        services.AddSingleton<SystemMonitor>();
}
