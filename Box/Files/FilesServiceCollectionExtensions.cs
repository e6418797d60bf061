namespace Dandelion.Box.Files;

internal static class FilesServiceCollectionExtensions
{
    public static IServiceCollection AddFiles(this IServiceCollection services)
    {
        services.AddSingleton<FileStore>();
        services.AddHostedService<ExpirySweeper>();
        return services;
    }
}
