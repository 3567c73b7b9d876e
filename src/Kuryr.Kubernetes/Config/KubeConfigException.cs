namespace Kuryr.Kubernetes.Config;

/// <summary>
/// A kubeconfig or in-cluster configuration that cannot be used. The message names the source and
/// the field, e.g. <c>kubeconfig /x: users[0].user.client-certificate-data: not valid base64</c>.
/// </summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException(string source, string field, string problem, Exception? inner = null)
        : base($"{source}: {field}: {problem}", inner)
    {
        Source = source;
        Field = field;
    }

    public KubeConfigException() : this("kubeconfig", "(unknown)", "invalid") { }

    public KubeConfigException(string message) : base(message)
    {
        Source = "kubeconfig";
        Field = "";
    }

    public KubeConfigException(string message, Exception innerException) : base(message, innerException)
    {
        Source = "kubeconfig";
        Field = "";
    }

    /// <summary>Where the configuration came from, e.g. <c>kubeconfig /root/.kube/config</c>.</summary>
    public new string Source { get; }

    /// <summary>The field path, e.g. <c>users[0].user.client-certificate-data</c>.</summary>
    public string Field { get; }
}
