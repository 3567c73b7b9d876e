using System.Text.Json;

namespace Kuryr.Controller.MultiVif.Common;

/// <summary>
/// Parses the annotations that hold a JSON list of Neutron ids (<c>openstack.org/kuryr-additional-subnets</c>,
/// <c>spec-ports</c>): not JSON or not a list throws <see cref="MultiVifAnnotationException"/>; an
/// entry that is not a string, not UUID-shaped or a duplicate is returned refused (the others still
/// work). Ids are lower-cased (Neutron's form). Never throws anything else.
/// </summary>
public static class IdListParser
{
    public static IReadOnlyList<AnnotationEntry<string>> Parse(string annotation, string? value, string what)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        ArgumentNullException.ThrowIfNull(what);
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            return [];
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new MultiVifAnnotationException(annotation, $"is not valid JSON ({e.Message}); expected a JSON list of {what} ids", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new MultiVifAnnotationException(annotation, $"is a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}, expected a JSON list of {what} ids");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<AnnotationEntry<string>>();
            var i = 0;
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                var raw = element.GetRawText();
                if (element.ValueKind != JsonValueKind.String)
                {
                    result.Add(AnnotationEntry.Bad<string>(i, raw, $"entry {i + 1} ({AnnotationText.Shorten(raw)}) is a JSON {element.ValueKind.ToString().ToLowerInvariant()}, expected a {what} id string"));
                }
                else
                {
                    var id = element.GetString()!.Trim();
                    if (!AnnotationText.IsUuid(id))
                    {
                        result.Add(AnnotationEntry.Bad<string>(i, id, $"entry {i + 1} \"{AnnotationText.Shorten(id)}\" is not a Neutron {what} id (UUID)"));
                    }
                    else if (!seen.Add(id.ToLowerInvariant()))
                    {
                        result.Add(AnnotationEntry.Bad<string>(i, id, $"entry {i + 1} \"{id}\" is listed twice"));
                    }
                    else
                    {
                        result.Add(AnnotationEntry.Ok<string>(i, id, id.ToLowerInvariant()));
                    }
                }

                i++;
            }

            return result;
        }
    }
}
