using Dandelion.Entrance.Configuration;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Configuration;
using Dandelion.Shared.Identity;

namespace Dandelion.Entrance.Auth;

/// <summary>
/// <c>Dandelion.Entrance credential {box|publisher|node id} [--config file]</c>: prints <c>{id} {token}</c>,
/// a node credential for a new id of the role or for the given id, made from the same secret the
/// entrance uses (docs/DEPLOYMENT.md, Enrolment). The node takes the line with its own
/// <c>enrol</c> command. <c>token {node id}</c> prints the token alone.
/// </summary>
internal static class CredentialCommand
{
    public static bool IsRequested(string[] args) => args is ["credential" or "token", ..];

    public static int Run(string[] args)
    {
        if (args.Length < 2 || (args[0] == "token" ? IdFor(args[1], null) : IdFor(args[1], args[1])) is not { } id)
        {
            Console.Error.WriteLine("usage: Dandelion.Entrance credential {box|publisher|node id} [--config file]");
            Console.Error.WriteLine("       Dandelion.Entrance token {node id} [--config file]");
            return 2;
        }
        var configuration = new ConfigurationBuilder().AddDandelionConfiguration(args[2..]).Build();
        var options = new EntranceOptions();
        configuration.GetSection(EntranceOptions.Section).Bind(options);
        // Made here too when the entrance never started: the entrance then finds it in its data directory.
        if (NodeSecret.Resolve(options, create: true, out _) is not { } secret)
        {
            Console.Error.WriteLine("Entrance:Auth:Enabled is false: authentication is off and no credential is needed.");
            return 1;
        }
        var token = NodeToken.Compute(secret, id);
        Console.WriteLine(args[0] == "token" ? token : $"{id} {token}");
        return 0;
    }

    /// <summary>The given box or publisher id, or a new id for <paramref name="role"/>; null when neither is one.</summary>
    public static string? IdFor(string? id, string? role)
    {
        if (NodeIdentity.IsValid(id, NodeRole.Box) || NodeIdentity.IsValid(id, NodeRole.Publisher))
            return id;
        return role switch
        {
            "box" => NodeIdentity.New(NodeRole.Box),
            "publisher" => NodeIdentity.New(NodeRole.Publisher),
            _ => null,
        };
    }
}
