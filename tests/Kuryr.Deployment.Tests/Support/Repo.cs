namespace Kuryr.Deployment.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repo
{
    /// <summary>The directory holding Kuryr.Node.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Every manifest file (YAML) under the deployment folders, relative to the root, sorted.</summary>
    public static IReadOnlyList<string> ManifestFiles() =>
        new[] { "cni", "daemonset", "controller" }
            .SelectMany(d => Directory.EnumerateFiles(PathOf(d), "*.*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f))
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kuryr.Node.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Kuryr.Node.sln not found above " + AppContext.BaseDirectory);
    }
}
