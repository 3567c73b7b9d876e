namespace Kuryr.Testing.TestBed;

/// <summary>xunit fixture: the test bed's real Redis 7 (<c>127.0.0.1:16379</c>).</summary>
public sealed class RedisTestBed : IAsyncLifetime
{
    /// <summary><c>host:port</c>.</summary>
    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync() =>
        Endpoint = (await TestBedEnvironment.EnsureAsync("redis").ConfigureAwait(false))["REDIS_ENDPOINT"];

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A key prefix no other test uses, so tests share one Redis without seeing each other.</summary>
    public static string UniquePrefix(string name) => $"test-{name}-{Guid.NewGuid():N}";
}
