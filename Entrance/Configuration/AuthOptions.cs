namespace Dandelion.Entrance.Configuration;

/// <summary><c>Entrance:Auth</c> (docs/PROTOCOL.md, Authentication).</summary>
internal sealed class AuthOptions
{
    /// <summary>The secret node tokens are made from. Empty (the default) turns authentication off.</summary>
    public string? Secret { get; set; }

    /// <summary>Whether version 1 peers, which cannot send a token, are served while auth is on. Default true.</summary>
    public bool AllowVersion1 { get; set; } = true;

    /// <summary>PEM file of the ECDSA P-256 key grants are signed with; made if missing. Default <c>{DataDirectory}/grant-key.pem</c>.</summary>
    public string? GrantKeyFile { get; set; }

    /// <summary>How long a grant stays valid. Default 1 h.</summary>
    public TimeSpan GrantLifetime { get; set; } = TimeSpan.FromHours(1);

    public bool Enabled => !string.IsNullOrEmpty(Secret);
}
