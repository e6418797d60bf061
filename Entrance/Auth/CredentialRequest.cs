namespace Dandelion.Entrance.Auth;

/// <summary>Body of <c>POST /api/credentials</c>: an existing node's <paramref name="Id"/>, or a <paramref name="Role"/> to make a new id for.</summary>
internal sealed record CredentialRequest(string? Id, string? Role);
