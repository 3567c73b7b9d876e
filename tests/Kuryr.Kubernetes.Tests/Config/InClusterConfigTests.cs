using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kuryr.Kubernetes.Config;

namespace Kuryr.Kubernetes.Tests.Config;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kuryr-sa-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Reads_the_service_account_directory()
    {
        using var key = RSA.Create(2048);
        using var ca = new CertificateRequest("CN=cluster-ca", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(_dir, "ca.crt"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "token"), "sa-token\n");
        File.WriteAllText(Path.Combine(_dir, "namespace"), "kube-system");

        var config = InClusterConfig.Load("10.96.0.1", "443", _dir);
        Assert.Equal(new Uri("https://10.96.0.1:443"), config.Server);
        Assert.Equal("kube-system", config.Namespace);
        Assert.Equal("sa-token", config.Token!.GetToken());
        Assert.Equal("CN=cluster-ca", config.CaCertificates![0].Subject);
        Assert.IsType<FileTokenSource>(config.Token);

        var v6 = InClusterConfig.Load("fd00::1", "6443", _dir);
        Assert.Equal("[fd00::1]", v6.Server.Host);
    }

    [Fact]
    public void Missing_pieces_are_named()
    {
        Assert.Equal("KUBERNETES_SERVICE_HOST", Assert.Throws<KubeConfigException>(() => InClusterConfig.Load(null, "443", _dir)).Field);
        Assert.Equal("KUBERNETES_SERVICE_PORT", Assert.Throws<KubeConfigException>(() => InClusterConfig.Load("10.0.0.1", "http", _dir)).Field);
        var e = Assert.Throws<KubeConfigException>(() => InClusterConfig.Load("10.0.0.1", "443", _dir));
        Assert.Equal(Path.Combine(_dir, "token"), e.Field);
    }
}
