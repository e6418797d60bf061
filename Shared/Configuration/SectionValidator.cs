namespace Dandelion.Shared.Configuration;

/// <summary>
/// Checks one app's configuration section at start (<c>ValidateOnStart</c>): every key that is
/// wrong is reported, each message naming it, and the app does not start.
/// </summary>
public abstract class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new OptionsFailures(section);
        Check(options, failures);
        return failures.Result();
    }

    /// <summary>Records in <paramref name="failures"/> what is wrong with <paramref name="options"/>.</summary>
    protected abstract void Check(TOptions options, OptionsFailures failures);
}
