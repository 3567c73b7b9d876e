using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kuryr.Kubernetes.Config;

namespace Kuryr.Kubernetes.Tests.Config;

public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kuryr-kubeconfig-").FullName;
    private readonly string _certPem;
    private readonly string _keyPem;

    public KubeConfigLoaderTests()
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=test-user", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certPem = cert.ExportCertificatePem();
        _keyPem = key.ExportPkcs8PrivateKeyPem();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string Config(string user, string cluster = "server: https://127.0.0.1:6443", string current = "ctx") => $"""
        apiVersion: v1
        kind: Config
        current-context: {current}
        clusters:
        - name: other
          cluster:
            server: https://10.0.0.1:6443
        - name: c1
          cluster:
            {cluster}
        contexts:
        - name: ctx
          context:
            cluster: c1
            user: u1
            namespace: team-a
        - name: other-ctx
          context:
            cluster: other
            user: u1
        users:
        - name: u1
          user:
            {user}
        """;

    [Fact]
    public void Current_context_with_token_and_ca_data()
    {
        var path = Write(Config("token: abc123", $"server: https://127.0.0.1:6443\n    certificate-authority-data: {B64(_certPem)}"));
        var config = KubeConfigLoader.Load(path);
        Assert.Equal(new Uri("https://127.0.0.1:6443"), config.Server);
        Assert.Equal("team-a", config.Namespace);
        Assert.Equal("abc123", config.Token!.GetToken());
        Assert.Single(config.CaCertificates!);
        Assert.Equal("CN=test-user", config.CaCertificates![0].Subject);
        Assert.Null(config.ClientCertificate);
        Assert.False(config.InsecureSkipTlsVerify);
    }

    [Fact]
    public void Explicit_context_wins_over_current_context()
    {
        var path = Write(Config("token: abc123"));
        var config = KubeConfigLoader.Load(path, "other-ctx");
        Assert.Equal(new Uri("https://10.0.0.1:6443"), config.Server);
        Assert.Null(config.Namespace);
    }

    [Fact]
    public void Client_certificate_and_key_from_relative_files_and_insecure_flag()
    {
        File.WriteAllText(Path.Combine(_dir, "user.crt"), _certPem);
        File.WriteAllText(Path.Combine(_dir, "user.key"), _keyPem);
        var path = Write(Config("client-certificate: user.crt\n    client-key: user.key", "server: https://127.0.0.1:6443\n    insecure-skip-tls-verify: true"));
        var config = KubeConfigLoader.Load(path);
        Assert.NotNull(config.ClientCertificate);
        Assert.True(config.ClientCertificate!.HasPrivateKey);
        Assert.Equal("CN=test-user", config.ClientCertificate.Subject);
        Assert.True(config.InsecureSkipTlsVerify);
        Assert.Null(config.Token);
    }

    [Fact]
    public void Client_certificate_and_key_from_data()
    {
        var path = Write(Config($"client-certificate-data: {B64(_certPem)}\n    client-key-data: {B64(_keyPem)}"));
        var config = KubeConfigLoader.Load(path);
        Assert.True(config.ClientCertificate!.HasPrivateKey);
    }

    [Fact]
    public void Token_file_is_resolved_relative_to_the_kubeconfig()
    {
        File.WriteAllText(Path.Combine(_dir, "tok"), "from-file\n");
        var path = Write(Config("tokenFile: tok"));
        var config = KubeConfigLoader.Load(path);
        var source = Assert.IsType<FileTokenSource>(config.Token);
        Assert.Equal(Path.Combine(_dir, "tok"), source.Path);
        Assert.Equal("from-file", source.GetToken());
    }

    [Fact]
    public void Bad_base64_names_the_field()
    {
        var path = Write(Config($"client-certificate-data: '%%%not-base64'\n    client-key-data: {B64(_keyPem)}"));
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path));
        Assert.Equal($"kubeconfig {path}: users[0].user.client-certificate-data: not valid base64", e.Message);
        Assert.Equal("users[0].user.client-certificate-data", e.Field);
    }

    [Fact]
    public void Base64_that_is_not_a_certificate_names_the_field()
    {
        var path = Write(Config("token: x", $"server: https://127.0.0.1:6443\n    certificate-authority-data: {B64("hello")}"));
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path));
        Assert.Equal("clusters[1].cluster.certificate-authority-data", e.Field);
    }

    [Fact]
    public void A_key_that_does_not_match_names_the_key_field()
    {
        using var other = RSA.Create(2048);
        var path = Write(Config($"client-certificate-data: {B64(_certPem)}\n    client-key-data: {B64(other.ExportPkcs8PrivateKeyPem())}"));
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path));
        Assert.Equal("users[0].user.client-key-data", e.Field);
    }

    [Fact]
    public void Certificate_without_key_names_the_missing_field()
    {
        var path = Write(Config($"client-certificate-data: {B64(_certPem)}"));
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path));
        Assert.Equal("users[0].user.client-key-data", e.Field);
    }

    [Fact]
    public void Unknown_context_is_reported()
    {
        var path = Write(Config("token: x", current: "nope"));
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path));
        Assert.Equal("current-context", e.Field);
        Assert.Contains("'nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_server_url_names_the_field()
    {
        var path = Write(Config("token: x", "server: not a url"));
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path));
        Assert.Equal("clusters[1].cluster.server", e.Field);
    }

    [Fact]
    public void Bad_boolean_names_the_field()
    {
        var path = Write(Config("token: x", "server: https://127.0.0.1:6443\n    insecure-skip-tls-verify: maybe"));
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path));
        Assert.Equal("clusters[1].cluster.insecure-skip-tls-verify", e.Field);
    }

    [Fact]
    public void Missing_token_file_names_the_field()
    {
        var path = Write(Config("tokenFile: /nonexistent/token"));
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path));
        Assert.Equal("users[0].user.tokenFile", e.Field);
    }

    [Fact]
    public void Exec_plugins_are_refused_with_the_field_named()
    {
        var path = Write(Config("exec:\n      command: aws"));
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path));
        Assert.Equal("users[0].user.exec", e.Field);
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_the_file()
    {
        var path = Write("clusters: [\n  - {");
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(path));
        Assert.StartsWith($"kubeconfig {path}: line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        var e = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Load(Path.Combine(_dir, "absent")));
        Assert.Contains("cannot be read", e.Message, StringComparison.Ordinal);
    }
}
