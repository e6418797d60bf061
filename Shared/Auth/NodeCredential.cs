namespace Dandelion.Shared.Auth;

/// <summary>
/// What an operator hands a node: its id and the TOKEN that proves it (<see cref="NodeToken"/>).
/// The node keeps both in its data directory (<see cref="CredentialFiles"/>).
/// </summary>
public sealed record NodeCredential(string Id, string Token);
