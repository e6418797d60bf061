namespace Dandelion.Box.Traffic;

/// <summary>One access-log line: the URL path asked for, the status, body bytes sent, and when (nginx's time_local, if the format has it).</summary>
internal sealed record ServedRequest(string Url, int Status, long Size, string? DateTime);
