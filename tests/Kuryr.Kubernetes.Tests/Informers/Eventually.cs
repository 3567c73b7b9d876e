namespace Kuryr.Kubernetes.Tests.Informers;

/// <summary>Waits for a condition with a generous bound (not a timing assertion: only "it happens").</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? bound = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Still not true after {bound ?? TimeSpan.FromSeconds(60)}: {what}");
            }

            await Task.Delay(20);
        }
    }
}
