namespace Dandelion.Entrance.Dashboard;

/// <summary>One live box as the dashboard shows it: where it is, when it last spoke, what it holds and served.</summary>
internal sealed record NetworkBox(
    string Id,
    string State,
    string? Country,
    string? City,
    bool GeoKnown,
    string? HttpUrl,
    DateTimeOffset LastHeartbeatAt,
    DateTimeOffset ExpiresAt,
    long? StorageUsed,
    long? StorageQuota,
    long? Files,
    long? BandwidthUsed,
    long? BandwidthCeiling,
    long RequestsServed,
    long BytesServed,
    long OpenSessions);
