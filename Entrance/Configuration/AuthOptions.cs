namespace Dandelion.Entrance.Configuration;

/// <summary><c>Entrance:Auth</c> (docs/PROTOCOL.md, Authentication; docs/DEPLOYMENT.md, Enrolment).</summary>
internal sealed class AuthOptions
{
    /// <summary>
    /// Whether nodes must show a credential. Default true; false is an explicit choice to let
    /// anyone speak for any box or publisher id, logged as a warning at every start.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The secret node credentials are made from, at least 16 characters. Default: the one in
    /// <see cref="SecretFile"/>, made at first start. Entrances that share a Redis must share it.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Where the secret is kept when <see cref="Secret"/> is not set; made if missing. Default <c>{DataDirectory}/node-secret.key</c>.</summary>
    public string? SecretFile { get; set; }

    /// <summary>
    /// Whether version 1 peers, which cannot send a credential, are served while auth is on, and
    /// then only for ids that never had one. Default false.
    /// </summary>
    public bool AllowVersion1 { get; set; }

    /// <summary>PEM file of the ECDSA P-256 key grants are signed with; made if missing. Default <c>{DataDirectory}/grant-key.pem</c>.</summary>
    public string? GrantKeyFile { get; set; }

    /// <summary>How long a publish grant stays valid, between 10 s and 1 h. Default 5 min.</summary>
    public TimeSpan GrantLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
