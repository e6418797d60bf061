namespace Dandelion.Shared.Configuration;

/// <summary>
/// What is wrong with one configuration section, each message naming its key as
/// <c>{section}:{key}</c>, so a refused start says which line of the config to fix.
/// </summary>
public sealed class OptionsFailures(string section)
{
    private readonly List<string> _failures = [];

    /// <summary>Records <c>{section}:{key} {why}</c> unless <paramref name="ok"/>.</summary>
    public void Require(bool ok, string key, string why)
    {
        if (!ok)
            _failures.Add($"{section}:{key} {why}");
    }

    /// <summary>Messages a part of the section checked itself (TLS, telemetry, origins); they name their keys.</summary>
    public void Add(IEnumerable<string> messages) => _failures.AddRange(messages);

    public ValidateOptionsResult Result() => _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}
