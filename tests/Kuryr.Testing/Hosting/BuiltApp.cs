namespace Kuryr.Testing.Hosting;

/// <summary>Where this repository's built executables are, for the tests that run them as processes.</summary>
public static class BuiltApp
{
    /// <summary>The built <paramref name="dll"/> of <c>src/<paramref name="project"/></c> (Release, else Debug).</summary>
    public static string DllPath(string project, string dll)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "src", project)))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new FileNotFoundException($"repository root (src/{project}) not found above " + AppContext.BaseDirectory);
        }

        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var path = Path.Combine(dir.FullName, "src", project, "bin", configuration, "net10.0", dll);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"{dll} is not built: dotnet build src/{project} -c Release");
    }
}
