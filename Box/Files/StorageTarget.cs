namespace Dandelion.Box.Files;

/// <summary>
/// A checked place for a file: <see cref="Key"/> is <c>{publisher_id}/{relative path}</c>
/// (the expiry index key and the URL path), <see cref="FullPath"/> is under storage.
/// </summary>
internal sealed record StorageTarget(string PublisherId, string RelativePath, string FullPath)
{
    public string Key => PublisherId + "/" + RelativePath;
}
