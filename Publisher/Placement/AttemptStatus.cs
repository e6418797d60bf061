namespace Dandelion.Publisher.Placement;

/// <summary>One try to place a file on a box: <c>stored</c>, <c>refused</c>, <c>timeout</c> or <c>dropped</c>, and why.</summary>
public sealed record AttemptStatus(string Box, DateTimeOffset At, string Outcome, string? Reason);
