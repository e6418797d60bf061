using Dandelion.Shared.Configuration;
using Dandelion.Shared.Identity;
using Microsoft.Extensions.Configuration;

namespace Dandelion.Shared.Auth;

/// <summary>
/// <c>Dandelion.Box enrol {id} {token} [--config file]</c> (and the publisher's): keeps the credential
/// an operator issued (<c>Dandelion.Entrance credential …</c> or <c>POST /api/credentials</c>) in the
/// node's data directory, where it reads it at every start (docs/DEPLOYMENT.md, Enrolment).
/// </summary>
public static class EnrolCommand
{
    /// <summary>Runs the command and exits when <paramref name="args"/> ask for it; otherwise returns.</summary>
    public static void ExitIfRequested(string[] args, string section, NodeRole role, string defaultDataDirectory)
    {
        if (args is ["enrol", ..])
            Environment.Exit(Run(args, section, role, defaultDataDirectory));
    }

    /// <param name="section">The app's configuration section (<c>Box</c>, <c>Publisher</c>).</param>
    /// <param name="defaultDataDirectory">The data directory when none is configured.</param>
    public static int Run(string[] args, string section, NodeRole role, string defaultDataDirectory)
    {
        if (args.Length < 3 || !NodeIdentity.IsValid(args[1], role) || string.IsNullOrWhiteSpace(args[2]))
        {
            Console.Error.WriteLine($"usage: Dandelion.{section} enrol {{{NodeIdentity.Prefix(role)}… id}} {{token}} [--config file]");
            return 2;
        }
        var configuration = new ConfigurationBuilder().AddDandelionConfiguration(args[3..]).Build();
        var data = Path.GetFullPath(configuration[$"{section}:DataDirectory"] is { Length: > 0 } configured ? configured : defaultDataDirectory);
        CredentialFiles.Save(data, role, new NodeCredential(args[1], args[2].Trim()));
        Console.WriteLine($"Enrolled as {args[1]}; the credential is kept in {data}.");
        return 0;
    }
}
