using Dandelion.Entrance.Search;

namespace Dandelion.Entrance.Dashboard;

/// <summary>One live box as the dashboard shows it: who and where it is, when it last spoke, what it holds and served, and why it gets the traffic it gets.</summary>
/// <param name="Name">Its owner's name for it (<c>NAME</c>); null for a version 1 box, shown by id.</param>
/// <param name="BandwidthUsed">Its upload rate now, bytes/s, as it measured sending (a sliding window).</param>
/// <param name="Searches">How it fared in recent SEARCHes.</param>
/// <param name="Traffic">Why it gets the traffic it gets, in a sentence, and a one-word kind.</param>
internal sealed record NetworkBox(
    string Id,
    string? Name,
    int Version,
    string State,
    string? Country,
    string? City,
    bool GeoKnown,
    BoxPlace Place,
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
    long OpenSessions,
    BoxSearches Searches,
    TrafficExplanation Traffic);

/// <summary>A box's recent SEARCHes (<c>P:box:{id}:search</c>): how often it was a candidate, how often answered, and its last score.</summary>
internal sealed record BoxSearches(long Seen, long Chosen, SearchMark? Last);
