using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Redis;
using Dandelion.Shared.Auth;

namespace Dandelion.Entrance.Auth;

/// <summary>
/// Checks a message's credential (docs/PROTOCOL.md, Authentication). With auth on: a revoked id is
/// refused; a TOKEN, whatever the version, must be the id's; version 2 must send one; version 1 is
/// served only when <c>Auth:AllowVersion1</c> is true and only for an id that never had a credential,
/// so it can never take over, drain or move the figures of a credentialed box or publisher.
/// </summary>
internal sealed class NodeAuthenticator(NodeSecret secret, CredentialStore credentials, RevocationList revoked, IOptions<EntranceOptions> options)
{
    private readonly bool _allowVersion1 = options.Value.Auth.AllowVersion1;

    public bool Enabled => secret.Enabled;

    /// <summary>Null when the message may be served.</summary>
    /// <param name="proven">The id this connection already showed a valid credential for (recorded once per connection), else null.</param>
    public async ValueTask<(ProtocolError? Error, string? Proven)> CheckAsync(NodeMessage message, int sessionVersion, string? proven)
    {
        if (secret.Value is not { } key)
            return (null, null);
        var id = message.Id!;
        if (revoked.IsRevoked(id))
            return (ProtocolError.Unauthorized("this ID's credential was revoked."), null);
        if (!string.IsNullOrEmpty(message.Token))
        {
            if (!NodeToken.Verify(key, id, message.Token))
                return (ProtocolError.Unauthorized("TOKEN is wrong for this ID."), null);
            if (proven == id)
                return (null, id);
            return await Redis(async () =>
            {
                await credentials.SeenAsync(id);
                return ((ProtocolError?)null, (string?)id);
            });
        }
        if (sessionVersion >= ProtocolVersion.V2)
            return (ProtocolError.Unauthorized("TOKEN is missing: version 2 peers must show their credential."), null);
        if (!_allowVersion1)
            return (ProtocolError.Unauthorized("version 1 peers are not accepted here; send VERSION 2 and a TOKEN."), null);
        return await Redis(async () => await credentials.HasCredentialAsync(id)
            ? (ProtocolError.Unauthorized("this ID has a credential: send VERSION 2 and its TOKEN."), (string?)null)
            : ((ProtocolError?)null, (string?)null));
    }

    // Fails closed: an id is never served on a guess while the store is away.
    private static async ValueTask<(ProtocolError?, string?)> Redis(Func<Task<(ProtocolError?, string?)>> check)
    {
        try
        {
            return await check();
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            return (ProtocolError.Unavailable("the entrance cannot reach its store to check the credential; try again."), null);
        }
    }
}
