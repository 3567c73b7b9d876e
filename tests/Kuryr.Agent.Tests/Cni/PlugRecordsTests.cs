using System.Text.Json.Nodes;
using Kuryr.Agent.Cni;
using Kuryr.Config.Options;
using Microsoft.Extensions.Options;

namespace Kuryr.Agent.Tests.Cni;

/// <summary>The local record of plugged attachments, on the real file system.</summary>
public sealed class PlugRecordsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kuryr-records-" + Guid.NewGuid().ToString("N")[..8]);

    private FilePlugRecords Records => new(Options.Create(new CniDaemonOptions { StatePath = _dir }));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Bug_del_before_any_add_failed_because_the_state_directory_did_not_exist_yet()
    {
        Records.Remove("never-seen", "eth0");
        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_record_survives_a_new_instance_is_private_and_names_cannot_escape_the_directory()
    {
        var record = new PlugRecord("../../etc/passwd", "eth0", "/var/run/netns/a", "ns", "pod", "uid", new JsonObject());
        await Records.SaveAsync(record, default);

        var again = await Records.GetAsync("../../etc/passwd", "eth0", default);
        Assert.Equal(("ns", "pod", "uid", "/var/run/netns/a"), (again!.PodNamespace, again.PodName, again.PodUid, again.Netns));
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_dir, "plugged")));
        Assert.True(OperatingSystem.IsLinux());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var problems = new List<string>();
        Assert.Single(await Records.ListAsync(problems, default));
        Records.Remove("../../etc/passwd", "eth0");
        Assert.Empty(await Records.ListAsync(problems, default));
        Assert.Empty(problems);
    }
}
