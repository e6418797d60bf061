namespace Dandelion.Shared.Identity;

public enum NodeRole
{
    Entrance,
    Box,
    Publisher,
}
