namespace Dandelion.Entrance.Dashboard;

/// <summary>Why a box gets the traffic it gets: a kind (for filtering and tests) and a plain sentence for the operator.</summary>
/// <param name="Kind"><c>serving</c>, <c>not-answering</c>, <c>draining</c>, <c>full</c>, <c>at-ceiling</c>, <c>low-bandwidth</c>,
/// <c>far</c>, <c>ranked-low</c>, <c>version-1</c>, <c>not-searched</c>.</param>
internal sealed record TrafficExplanation(string Kind, string Sentence);
