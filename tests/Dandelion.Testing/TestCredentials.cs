using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;

namespace Dandelion.Testing;

/// <summary>
/// How the fixtures enrol the nodes they start, as an operator would (docs/DEPLOYMENT.md, Enrolment):
/// every test entrance is given <see cref="Secret"/> (and serves version 1 peers, which many tests play),
/// and every test box or publisher keeps the credential for its id in its data directory, so a test
/// that does not care about auth never has to.
/// </summary>
public static class TestCredentials
{
    public const string Secret = "dandelion-tests-node-secret";

    /// <summary>Settings every test entrance gets unless the test gives its own.</summary>
    public static IReadOnlyDictionary<string, string> EntranceSettings { get; } = new Dictionary<string, string>
    {
        ["Entrance:Auth:Secret"] = Secret,
        ["Entrance:Auth:AllowVersion1"] = "true",
    };

    public static string TokenFor(string id, string secret = Secret) => NodeToken.Compute(secret, id);

    /// <summary>
    /// Keeps a credential in <paramref name="dataDirectory"/> for the id the node has (or will make) there,
    /// as <c>Dandelion.Box enrol</c> does; returns the id.
    /// </summary>
    public static string Enrol(string dataDirectory, NodeRole role, string secret = Secret)
    {
        var id = NodeIdentity.LoadOrCreate(dataDirectory, role);
        CredentialFiles.Save(dataDirectory, role, new NodeCredential(id, TokenFor(id, secret)));
        return id;
    }

    /// <summary>Adds each of <see cref="EntranceSettings"/> the test did not set itself.</summary>
    public static void AddEntranceDefaults<TValue>(IDictionary<string, TValue> settings)
    {
        foreach (var (key, value) in EntranceSettings)
            settings.TryAdd(key, (TValue)(object)value);
    }
}
