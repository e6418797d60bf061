namespace Dandelion.Publisher.Player;

/// <summary>A box as the player page names it: <c>host</c> is what the page sees in a redirected segment's URL.</summary>
internal sealed record PlayerBox(string Id, string Name, string Host);
