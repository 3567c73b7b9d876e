namespace Kuryr.LocalCluster.Options;

/// <summary>Checks <see cref="LocalClusterOptions"/>; every error names the option at fault.</summary>
public static class LocalClusterOptionsValidator
{
    public static IReadOnlyList<string> Validate(LocalClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.PodsPerNode is < 1 or > LocalClusterOptions.MaxPodsPerNode)
        {
            errors.Add($"--pods: must be between 1 and {LocalClusterOptions.MaxPodsPerNode} (pods per node), got {options.PodsPerNode}");
        }

        if (!PoolDrivers.All.Contains(options.PoolDriver))
        {
            errors.Add($"--pool-driver: must be one of {string.Join(", ", PoolDrivers.All)}, got '{options.PoolDriver}'");
        }

        if (string.IsNullOrWhiteSpace(options.RunDir) || !Path.IsPathRooted(options.RunDir))
        {
            errors.Add($"--run-dir: must be an absolute path, got '{options.RunDir}'");
        }
        else if (options.RunDir.TrimEnd('/').Length <= 1)
        {
            errors.Add("--run-dir: must not be the root directory (it is emptied on start)");
        }
        else if (options.RunDir.Length > 60)
        {
            errors.Add($"--run-dir: at most 60 characters (unix socket paths below it are limited to 107 bytes), got {options.RunDir.Length}");
        }

        if (string.IsNullOrWhiteSpace(options.TestBedEnv))
        {
            errors.Add("--testbed-env: must name the file written by testbed/up.sh");
        }

        return errors;
    }
}
