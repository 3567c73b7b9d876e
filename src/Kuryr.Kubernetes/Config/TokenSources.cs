namespace Kuryr.Kubernetes.Config;

/// <summary>Supplies the bearer token for each request.</summary>
public interface ITokenSource
{
    /// <summary>The current token.</summary>
    string GetToken();

    /// <summary>Forget any cached value (called after a 401) so the next <see cref="GetToken"/> re-reads it.</summary>
    void Invalidate();
}

/// <summary>A fixed token (kubeconfig <c>token</c>).</summary>
public sealed class StaticTokenSource(string token) : ITokenSource
{
    public string GetToken() => token;

    public void Invalidate()
    {
    }
}
