namespace Dandelion.Publisher.Tests.Peers;

/// <summary>How a test box treats file frames.</summary>
internal enum TestBoxMode
{
    /// <summary>Checks SIZE and SHA256, stores, answers STORED (version 2).</summary>
    Store,
    /// <summary>Answers REFUSED (quota-exceeded) to every file.</summary>
    Refuse,
    /// <summary>Reads files and never answers.</summary>
    Silent,
    /// <summary>Drops the connection once a file frame has begun arriving (a box killed mid-transfer).</summary>
    DieMidTransfer,
}
