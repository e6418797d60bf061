using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;

namespace Dandelion.Box.Node;

/// <summary>Turns the relative and derived paths into absolute ones before anything reads them.</summary>
internal sealed class BoxOptionsSetup : IPostConfigureOptions<BoxOptions>
{
    public void PostConfigure(string? name, BoxOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            return; // the validator names the key
        options.DataDirectory = Path.GetFullPath(options.DataDirectory);
        options.StorageDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(options.StorageDirectory)
            ? Path.Combine(options.DataDirectory, "files")
            : options.StorageDirectory);
        options.AccessLog = Path.GetFullPath(string.IsNullOrWhiteSpace(options.AccessLog)
            ? Path.Combine(options.DataDirectory, "access.log")
            : options.AccessLog);
        // Enrolled (Dandelion.Box enrol): the credential kept in the data directory.
        if (string.IsNullOrWhiteSpace(options.Token))
            options.Token = CredentialFiles.ReadToken(options.DataDirectory, NodeRole.Box);
        options.Entrances = options.Entrances.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()).ToList();
        options.QuietHours = options.QuietHours.Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim()).ToList();
    }
}
