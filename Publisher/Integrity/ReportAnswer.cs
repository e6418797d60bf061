namespace Dandelion.Publisher.Integrity;

/// <summary>The answer to a viewer's report: the box it names and what the publisher found there.</summary>
internal sealed record ReportAnswer(string Box, ReportVerdict Verdict);
