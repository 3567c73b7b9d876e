namespace Kuryr.Kubernetes.Informers;

/// <summary>Capped exponential backoff with jitter (client-go wait.Backoff with Factor 2).</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan max, double jitter, Func<double> random)
{
    private TimeSpan _next;
    private bool _started;

    /// <summary>The next delay: the current step stretched by up to <c>jitter</c>; the step then doubles up to the cap.</summary>
    public TimeSpan Next()
    {
        var step = _started ? _next : initial;
        _started = true;
        _next = step >= max / 2 ? max : step * 2;
        return step + (step * (jitter * random()));
    }

    public void Reset() => _started = false;
}
