using Dandelion.Entrance.Redis;


namespace Dandelion.Entrance.Operators;

/// <summary>One box in full: its summary, sessions, traffic totals and last EXCHANGE as stored.</summary>
internal sealed record BoxDetail(
    BoxSummary Box,
    long OpenSessions,
    long RequestsServed,
    long BytesServed,
    long? TrafficMark,
    StoredBox LastExchange);
