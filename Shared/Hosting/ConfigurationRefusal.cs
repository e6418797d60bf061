using Microsoft.AspNetCore.Builder;

namespace Dandelion.Shared.Hosting;

/// <summary>
/// Runs a node and turns a refused configuration into a plain message and exit code 2, rather
/// than an unhandled exception (a stack trace and exit 134, which reads as a crash).
/// </summary>
/// <remarks>
/// The refusal is taken where the process would die of it, as it goes unhandled, not caught
/// around <c>Run</c>: a host started by a test's WebApplicationFactory (which runs this entry
/// point) still sees the <see cref="OptionsValidationException"/> itself.
/// </remarks>
public static class ConfigurationRefusal
{
    public const int ExitCode = 2;
    private static int _watching;

    /// <returns>0 after a normal stop; the process ends with <see cref="ExitCode"/> when options validation refused the configuration.</returns>
    public static int RunOrRefuse(this WebApplication app)
    {
        WatchForRefusal();
        app.Run();
        return 0;
    }

    /// <summary>
    /// As <see cref="RunOrRefuse(WebApplication)"/>, for a node whose options are read while the app
    /// is built and its pipeline configured (the box's Kestrel set-up reads <c>Box</c>): a refusal
    /// there is reported the same way.
    /// </summary>
    public static int BuildAndRunOrRefuse(this WebApplicationBuilder builder, Action<WebApplication> configure)
    {
        WatchForRefusal();
        var app = builder.Build();
        configure(app);
        app.Run();
        return 0;
    }

    private static void WatchForRefusal()
    {
        if (Interlocked.Exchange(ref _watching, 1) == 1)
            return;
        AppDomain.CurrentDomain.UnhandledException += static (_, e) =>
        {
            if (Refusal(e.ExceptionObject as Exception) is not { } refused)
                return;
            // The host is disposed by now and its loggers with it: standard error is what is left.
            Console.Error.WriteLine("Configuration refused; nothing was started:");
            foreach (var failure in refused.Failures)
                Console.Error.WriteLine("  " + failure);
            Environment.Exit(ExitCode);
        };
    }

    private static OptionsValidationException? Refusal(Exception? ex) => ex switch
    {
        OptionsValidationException refused => refused,
        AggregateException many => many.InnerExceptions.Select(Refusal).FirstOrDefault(r => r is not null),
        { InnerException: { } inner } => Refusal(inner),
        _ => null,
    };
}
