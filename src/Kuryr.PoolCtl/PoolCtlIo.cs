namespace Kuryr.PoolCtl;

/// <summary>Where a run writes: results on <paramref name="Out"/>, errors on <paramref name="Err"/>;
/// <paramref name="Terminal"/> when <paramref name="Out"/> is a terminal (tables get colours and borders).</summary>
internal sealed record PoolCtlIo(TextWriter Out, TextWriter Err, bool Terminal);
