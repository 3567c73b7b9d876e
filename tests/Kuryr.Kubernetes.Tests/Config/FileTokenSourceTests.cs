using Kuryr.Kubernetes.Config;
using Kuryr.Testing.Time;

namespace Kuryr.Kubernetes.Tests.Config;

public sealed class FileTokenSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kuryr-token-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rereads_when_the_mtime_changes_and_at_least_every_minute()
    {
        var path = Path.Combine(_dir, "token");
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.WriteAllText(path, "token-a\n");
        File.SetLastWriteTimeUtc(path, t0);
        var time = new ManualTimeProvider();
        var source = new FileTokenSource(path, time);

        Assert.Equal("token-a", source.GetToken());

        // Rotated content, same mtime (e.g. an atomic symlink swap kept it): cached until a minute passed.
        File.WriteAllText(path, "token-b");
        File.SetLastWriteTimeUtc(path, t0);
        Assert.Equal("token-a", source.GetToken());
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("token-a", source.GetToken());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("token-b", source.GetToken());

        // A new mtime is picked up at once.
        File.WriteAllText(path, "token-c");
        File.SetLastWriteTimeUtc(path, t0.AddSeconds(10));
        Assert.Equal("token-c", source.GetToken());
    }

    [Fact]
    public void Invalidate_forces_a_reread()
    {
        var path = Path.Combine(_dir, "token");
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.WriteAllText(path, "token-a");
        File.SetLastWriteTimeUtc(path, t0);
        var source = new FileTokenSource(path, new ManualTimeProvider());
        Assert.Equal("token-a", source.GetToken());
        File.WriteAllText(path, "token-b");
        File.SetLastWriteTimeUtc(path, t0);
        source.Invalidate();
        Assert.Equal("token-b", source.GetToken());
    }

    [Fact]
    public void Empty_or_missing_file_fails_naming_the_file()
    {
        var path = Path.Combine(_dir, "token");
        File.WriteAllText(path, "  \n");
        var e = Assert.Throws<KubeConfigException>(() => new FileTokenSource(path).GetToken());
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
        File.Delete(path);
        Assert.Throws<KubeConfigException>(() => new FileTokenSource(path).GetToken());
    }
}
