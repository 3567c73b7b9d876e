using System.Text.Json.Nodes;

namespace Kuryr.Kubernetes.Crds;

/// <summary>
/// "Does the server's object already say everything the manifest says?" The API server fills in
/// defaults (conversion strategy, listKind, ...) that a manifest omits, so equality is too strict:
/// every field of <c>desired</c> must be in <c>actual</c> with an equal value (objects recursively,
/// arrays element by element with the same length).
/// </summary>
internal static class JsonSubset
{
    public static bool Contains(JsonNode? actual, JsonNode? desired, out string? firstDifference, string path = "")
    {
        firstDifference = null;
        switch (desired)
        {
            case null:
                if (actual is null)
                {
                    return true;
                }

                firstDifference = path;
                return false;
            case JsonObject d:
                if (actual is not JsonObject a)
                {
                    firstDifference = path;
                    return false;
                }

                foreach (var (key, value) in d)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    if (!a.TryGetPropertyValue(key, out var av) || !Contains(av, value, out firstDifference, path + "." + key))
                    {
                        firstDifference ??= path + "." + key;
                        return false;
                    }
                }

                return true;
            case JsonArray d:
                if (actual is not JsonArray arr || arr.Count != d.Count)
                {
                    firstDifference = path;
                    return false;
                }

                for (var i = 0; i < d.Count; i++)
                {
                    if (!Contains(arr[i], d[i], out firstDifference, path + "[" + i + "]"))
                    {
                        return false;
                    }
                }

                return true;
            default:
                if (JsonNode.DeepEquals(actual, desired))
                {
                    return true;
                }

                firstDifference = path;
                return false;
        }
    }
}
