namespace Kuryr.Controller.MultiVif;

/// <summary>Kuryr's <c>noop</c> multi-VIF driver: no additional VIFs.</summary>
internal sealed class NoopMultiVifDriver : IMultiVifDriver
{
    public string Name => "noop";

    public Task<IReadOnlyList<AdditionalVif>> RequestAdditionalVifsAsync(MultiVifContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AdditionalVif>>([]);
}
