using Dandelion.Shared.Auth;
using Dandelion.Shared.Configuration;

namespace Dandelion.Entrance.Auth;

/// <summary><c>Dandelion.Entrance token {node id}</c>: prints the node's TOKEN for the configured secret.</summary>
internal static class TokenCommand
{
    public static bool IsRequested(string[] args) => args is ["token", ..];

    public static int Run(string[] args)
    {
        if (args.Length < 2 || string.IsNullOrWhiteSpace(args[1]))
        {
            Console.Error.WriteLine("usage: Dandelion.Entrance token {node id} [--config file]");
            return 2;
        }
        var configuration = new ConfigurationBuilder().AddDandelionConfiguration(args[2..]).Build();
        var secret = configuration["Entrance:Auth:Secret"];
        if (string.IsNullOrEmpty(secret))
        {
            Console.Error.WriteLine("Entrance:Auth:Secret is not set: authentication is off and no token is needed.");
            return 1;
        }
        Console.WriteLine(NodeToken.Compute(secret, args[1]));
        return 0;
    }
}
