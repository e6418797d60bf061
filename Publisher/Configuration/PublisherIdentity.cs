namespace Dandelion.Publisher.Configuration;

/// <summary>This publisher's id, <c>publisher-{32 hex}</c>, kept in its data directory.</summary>
internal sealed record PublisherIdentity(string Id);
