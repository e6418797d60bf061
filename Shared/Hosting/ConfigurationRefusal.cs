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
            Console.Error.WriteLine("Configuration refused; nothing was started:");
            foreach (var failure in ex.Failures)
                Console.Error.WriteLine("  " + failure);
            return ExitCode;
        }
    }
}
