using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace Dandelion.Shared.Hosting;

/// <summary>
/// Runs a node and turns a refused configuration into a plain message and exit code 2, rather
/// than an unhandled exception (a stack trace and exit 134, which reads as a crash).
/// </summary>
public static class ConfigurationRefusal
{
    public const int ExitCode = 2;

    /// <returns>0 after a normal stop; <see cref="ExitCode"/> when options validation refused the configuration.</returns>
    public static int RunOrRefuse(this WebApplication app)
    {
        try
        {
            app.Run();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            // The host is disposed by now and its loggers with it: standard error is what is left.
            return Refuse(ex);
        }
    }

    /// <summary>
    /// As <see cref="RunOrRefuse(WebApplication)"/>, for a node whose options are read while the app
    /// is built and its pipeline configured (the box's Kestrel set-up reads <c>Box</c>): a refusal
    /// there is reported the same way.
    /// </summary>
    public static int BuildAndRunOrRefuse(this WebApplicationBuilder builder, Action<WebApplication> configure)
    {
        WebApplication app;
        try
        {
            app = builder.Build();
            configure(app);
        }
        catch (OptionsValidationException ex)
        {
            return Refuse(ex);
        }
        return app.RunOrRefuse();
    }

    private static int Refuse(OptionsValidationException ex)
    {
        Console.Error.WriteLine("Configuration refused; nothing was started:");
        foreach (var failure in ex.Failures)
            Console.Error.WriteLine("  " + failure);
        return ExitCode;
    }
}
