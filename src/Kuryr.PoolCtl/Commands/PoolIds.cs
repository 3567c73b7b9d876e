using Kuryr.Pools.State;

namespace Kuryr.PoolCtl.Commands;

/// <summary>The <c>POOL</c> argument: <c>HOST/PROJECT_ID/NETWORK_ID</c>, as <c>list</c> prints it.</summary>
internal static class PoolIds
{
    private static readonly string[] Parts = ["HOST", "PROJECT_ID", "NETWORK_ID"];

    /// <summary>Parses <paramref name="id"/>; a usage error names the part at fault.</summary>
    public static PoolKey Parse(string id)
    {
        var parts = id.Split('/');
        if (parts.Length != 3)
        {
            throw PoolCtlException.Usage(
                $"pool id \"{id}\": expected HOST/PROJECT_ID/NETWORK_ID (3 parts separated by '/'), got {parts.Length} part{(parts.Length == 1 ? "" : "s")}; 'kuryr-poolctl list' prints the ids");
        }

        for (var i = 0; i < 3; i++)
        {
            if (string.IsNullOrWhiteSpace(parts[i]))
            {
                throw PoolCtlException.Usage($"pool id \"{id}\": {Parts[i]} is empty (expected HOST/PROJECT_ID/NETWORK_ID)");
            }

            if (parts[i].IndexOfAny(['{', '}']) >= 0)
            {
                throw PoolCtlException.Usage($"pool id \"{id}\": {Parts[i]} \"{parts[i]}\" must not contain '{{' or '}}'");
            }
        }

        return new PoolKey(parts[0], parts[1], parts[2]);
    }
}
