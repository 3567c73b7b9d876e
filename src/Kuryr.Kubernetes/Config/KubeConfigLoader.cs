using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kuryr.Kubernetes.Config;

/// <summary>
/// Reads a kubeconfig file (the current context or a named one): server, CA (data or file),
/// <c>insecure-skip-tls-verify</c>, bearer <c>token</c> or <c>tokenFile</c>, client certificate and
/// key (data or files). Relative file paths are resolved against the kubeconfig's folder. Every
/// error names the file and the field, e.g.
/// <c>kubeconfig /x: users[0].user.client-certificate-data: not valid base64</c>.
/// </summary>
public static class KubeConfigLoader
{
    /// <summary>The kubeconfig to use when none is named: the first path of <c>$KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
    public static string DefaultPath()
    {
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(env))
        {
            return env.Split(':', StringSplitOptions.RemoveEmptyEntries)[0];
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }

    /// <summary>Loads <paramref name="path"/> with <paramref name="context"/> (null: <c>current-context</c>).</summary>
    public static KubernetesClientConfiguration Load(string path, string? context = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException("kubeconfig " + full, "(file)", "cannot be read: " + e.Message, e);
        }

        return Parse(text, full, context, timeProvider);
    }

    /// <summary>Parses kubeconfig YAML; <paramref name="path"/> names it in errors and anchors relative paths.</summary>
    public static KubernetesClientConfiguration Parse(string yaml, string path, string? context = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var r = new Reader("kubeconfig " + path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/");
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0)
            {
                throw r.Error("(document)", "the file is empty");
            }

            root = r.Mapping(stream.Documents[0].RootNode, "(document)");
        }
        catch (YamlException e)
        {
            throw new KubeConfigException(r.Source, $"line {e.Start.Line}", "not valid YAML: " + e.Message, e);
        }

        var contextName = context ?? r.String(root, "current-context", "current-context");
        if (string.IsNullOrEmpty(contextName))
        {
            throw r.Error("current-context", "not set and no context was named");
        }

        var (ctxField, ctx) = r.FindNamed(root, "contexts", "context", contextName);
        var clusterName = r.String(ctx, "cluster", ctxField + ".cluster") ?? throw r.Error(ctxField + ".cluster", "missing");
        var userName = r.String(ctx, "user", ctxField + ".user");
        var ns = r.String(ctx, "namespace", ctxField + ".namespace");

        var (clField, cluster) = r.FindNamed(root, "clusters", "cluster", clusterName, ctxField + ".cluster");
        var serverText = r.String(cluster, "server", clField + ".server") ?? throw r.Error(clField + ".server", "missing");
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw r.Error(clField + ".server", $"'{serverText}' is not an absolute http(s) URL");
        }

        var insecure = r.Bool(cluster, "insecure-skip-tls-verify", clField + ".insecure-skip-tls-verify") ?? false;
        var caPem = r.DataOrFile(cluster, "certificate-authority-data", "certificate-authority", clField);
        X509Certificate2Collection? ca = null;
        if (caPem is not null)
        {
            ca = r.Certificates(caPem.Value.Text, caPem.Value.Field);
        }

        ITokenSource? token = null;
        X509Certificate2? clientCert = null;
        if (userName is not null)
        {
            var (uField, user) = r.FindNamed(root, "users", "user", userName, ctxField + ".user");
            foreach (var unsupported in new[] { "exec", "auth-provider", "username", "password" })
            {
                if (user.Children.ContainsKey(new YamlScalarNode(unsupported)))
                {
                    throw r.Error(uField + "." + unsupported, "not supported (use a token, tokenFile or a client certificate)");
                }
            }

            var tokenText = r.String(user, "token", uField + ".token");
            var tokenFile = r.String(user, "tokenFile", uField + ".tokenFile");
            if (!string.IsNullOrEmpty(tokenText))
            {
                token = new StaticTokenSource(tokenText);
            }
            else if (!string.IsNullOrEmpty(tokenFile))
            {
                var tf = r.Resolve(tokenFile);
                if (!File.Exists(tf))
                {
                    throw r.Error(uField + ".tokenFile", $"file {tf} does not exist");
                }

                token = new FileTokenSource(tf, timeProvider);
            }

            var certPem = r.DataOrFile(user, "client-certificate-data", "client-certificate", uField);
            var keyPem = r.DataOrFile(user, "client-key-data", "client-key", uField);
            if (certPem is not null && keyPem is null)
            {
                throw r.Error(uField + ".client-key-data", "missing (client-certificate is set without its key)");
            }

            if (keyPem is not null && certPem is null)
            {
                throw r.Error(uField + ".client-certificate-data", "missing (client-key is set without its certificate)");
            }

            if (certPem is not null && keyPem is not null)
            {
                clientCert = r.ClientCertificate(certPem.Value, keyPem.Value);
            }
        }

        return new KubernetesClientConfiguration
        {
            Server = server,
            Namespace = ns,
            CaCertificates = ca,
            ClientCertificate = clientCert,
            Token = token,
            InsecureSkipTlsVerify = insecure,
            Description = $"{r.Source} context {contextName}",
        };
    }

    internal readonly record struct Pem(string Text, string Field);

    private sealed class Reader(string source, string baseDir)
    {
        public string Source { get; } = source;

        public KubeConfigException Error(string field, string problem) => new(Source, field, problem);

        public string Resolve(string file) => Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(baseDir, file));

        public YamlMappingNode Mapping(YamlNode? node, string field) =>
            node as YamlMappingNode ?? throw Error(field, "expected a mapping");

        public static YamlNode? Child(YamlMappingNode m, string key) =>
            m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        public string? String(YamlMappingNode m, string key, string field)
        {
            var node = Child(m, key);
            if (node is null)
            {
                return null;
            }

            if (node is not YamlScalarNode s)
            {
                throw Error(field, "expected a string");
            }

            return s.Value is null or "~" or "null" && s.Style == YamlDotNet.Core.ScalarStyle.Plain ? null : s.Value;
        }

        public bool? Bool(YamlMappingNode m, string key, string field)
        {
            var s = String(m, key, field);
            if (s is null)
            {
                return null;
            }

            return s.ToUpperInvariant() switch
            {
                "TRUE" => true,
                "FALSE" => false,
                _ => throw Error(field, $"'{s}' is not a boolean"),
            };
        }

        /// <summary>Finds <c>list[i]</c> whose <c>name</c> is <paramref name="name"/>; returns its field path and inner mapping.</summary>
        public (string Field, YamlMappingNode Item) FindNamed(YamlMappingNode root, string list, string inner, string name, string? referencedFrom = null)
        {
            var node = Child(root, list);
            if (node is not null and not YamlSequenceNode)
            {
                throw Error(list, "expected a list");
            }

            var seq = node as YamlSequenceNode;
            for (var i = 0; seq is not null && i < seq.Children.Count; i++)
            {
                var field = string.Create(CultureInfo.InvariantCulture, $"{list}[{i}]");
                var item = Mapping(seq.Children[i], field);
                if (string.Equals(String(item, "name", field + ".name"), name, StringComparison.Ordinal))
                {
                    return (field + "." + inner, Mapping(Child(item, inner), field + "." + inner));
                }
            }

            throw Error(referencedFrom ?? (list == "contexts" ? "current-context" : list), $"no entry named '{name}' in {list}");
        }

        /// <summary>Base64 <c>*-data</c> wins over the file variant, as in client-go.</summary>
        public Pem? DataOrFile(YamlMappingNode m, string dataKey, string fileKey, string parent)
        {
            var dataField = parent + "." + dataKey;
            var data = String(m, dataKey, dataField);
            if (!string.IsNullOrEmpty(data))
            {
                var buffer = new byte[data.Length];
                if (!Convert.TryFromBase64String(data.Trim(), buffer, out var n))
                {
                    throw Error(dataField, "not valid base64");
                }

                return new Pem(Encoding.UTF8.GetString(buffer, 0, n), dataField);
            }

            var fileField = parent + "." + fileKey;
            var file = String(m, fileKey, fileField);
            if (string.IsNullOrEmpty(file))
            {
                return null;
            }

            var full = Resolve(file);
            try
            {
                return new Pem(File.ReadAllText(full), fileField);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KubeConfigException(Source, fileField, $"cannot read {full}: {e.Message}", e);
            }
        }

        public X509Certificate2Collection Certificates(string pem, string field)
        {
            var result = new X509Certificate2Collection();
            try
            {
                result.ImportFromPem(pem);
            }
            catch (CryptographicException e)
            {
                throw new KubeConfigException(Source, field, "not a PEM certificate: " + e.Message, e);
            }

            if (result.Count == 0)
            {
                throw Error(field, "no PEM certificate found");
            }

            return result;
        }

        public X509Certificate2 ClientCertificate(Pem cert, Pem key)
        {
            _ = Certificates(cert.Text, cert.Field);
            try
            {
                return X509Certificate2.CreateFromPem(cert.Text, key.Text);
            }
            catch (CryptographicException e)
            {
                throw new KubeConfigException(Source, key.Field, "not a PEM private key matching the certificate: " + e.Message, e);
            }
            catch (ArgumentException e)
            {
                throw new KubeConfigException(Source, key.Field, "not a PEM private key: " + e.Message, e);
            }
        }
    }
}
