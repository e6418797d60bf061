using Dandelion.Entrance.Configuration;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Entrance.Auth;

/// <summary>Checks a message's credential against <c>Entrance:Auth</c> (docs/PROTOCOL.md, Authentication).</summary>
internal sealed class NodeAuthenticator(IOptions<EntranceOptions> options)
{
    private readonly AuthOptions _auth = options.Value.Auth;

    public bool Enabled => _auth.Enabled;

    /// <summary>Null when the message may be served.</summary>
    public ProtocolError? Check(NodeMessage message, int sessionVersion)
    {
        if (!_auth.Enabled)
            return null;
        if (sessionVersion < ProtocolVersion.V2)
            return _auth.AllowVersion1 ? null : ProtocolError.Unauthorized("version 1 peers are not accepted here; send VERSION 2 and a TOKEN.");
        return NodeToken.Verify(_auth.Secret!, message.Id!, message.Token)
            ? null
            : ProtocolError.Unauthorized("TOKEN is missing or wrong for this ID.");
    }
}
