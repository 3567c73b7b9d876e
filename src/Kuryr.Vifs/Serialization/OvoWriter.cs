using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuryr.Vifs.Model;

namespace Kuryr.Vifs;

/// <summary>
/// Writes o.vo envelopes the way Python's <c>json.dumps(sort_keys=True)</c> does (keys sorted by
/// code point, <c>ensure_ascii</c> escapes with lowercase hex), with Python's or compact separators.
/// </summary>
internal sealed class OvoWriter(VifJsonStyle style)
{
    private readonly StringBuilder _out = new();
    private readonly string _itemSeparator = style == VifJsonStyle.Python ? ", " : ",";
    private readonly string _keySeparator = style == VifJsonStyle.Python ? ": " : ":";

    public string Write(OvoObject obj)
    {
        _out.Clear();
        WriteObject(obj);
        return _out.ToString();
    }

    private void WriteObject(OvoObject obj)
    {
        var data = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        var known = new Dictionary<string, object?>(StringComparer.Ordinal);
        obj.CollectFields(known);
        foreach (var (key, value) in known)
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }

        foreach (var (key, value) in obj.ExtraFields)
        {
            data[key] = new ExtraNode(value);
        }

        var envelope = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["versioned_object.data"] = data,
            ["versioned_object.name"] = obj.ObjectName,
            ["versioned_object.namespace"] = obj.Namespace,
            ["versioned_object.version"] = obj.Version,
        };
        foreach (var (key, value) in obj.ExtraEnvelope)
        {
            envelope[key] = new ExtraNode(value);
        }

        WriteMap(envelope);
    }

    private void WriteMap(SortedDictionary<string, object?> map)
    {
        _out.Append('{');
        var first = true;
        foreach (var (key, value) in map)
        {
            if (!first)
            {
                _out.Append(_itemSeparator);
            }

            first = false;
            WriteString(key);
            _out.Append(_keySeparator);
            WriteValue(value);
        }

        _out.Append('}');
    }

    private void WriteValue(object? value)
    {
        switch (value)
        {
            case null: _out.Append("null"); break;
            case string s: WriteString(s); break;
            case bool b: _out.Append(b ? "true" : "false"); break;
            case int i: _out.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case OvoObject o: WriteObject(o); break;
            case SortedDictionary<string, object?> map: WriteMap(map); break;
            case ExtraNode extra: WriteNode(extra.Node); break;
            case IEnumerable items: WriteArray(items); break;
            default: throw new InvalidOperationException($"cannot write a {value.GetType().Name}");
        }
    }

    private void WriteArray(IEnumerable items)
    {
        _out.Append('[');
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                _out.Append(_itemSeparator);
            }

            first = false;
            WriteValue(item);
        }

        _out.Append(']');
    }

    private void WriteNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                _out.Append("null");
                break;
            case JsonObject o:
                var map = new SortedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, value) in o)
                {
                    map[key] = new ExtraNode(value);
                }

                WriteMap(map);
                break;
            case JsonArray a:
                WriteArray(a.Select(n => new ExtraNode(n)));
                break;
            default:
                var kind = node.GetValueKind();
                if (kind == JsonValueKind.String)
                {
                    WriteString(node.GetValue<string>());
                }
                else
                {
                    _out.Append(node.ToJsonString());
                }

                break;
        }
    }

    private void WriteString(string s)
    {
        _out.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': _out.Append("\\\""); break;
                case '\\': _out.Append("\\\\"); break;
                case '\n': _out.Append("\\n"); break;
                case '\r': _out.Append("\\r"); break;
                case '\t': _out.Append("\\t"); break;
                case '\b': _out.Append("\\b"); break;
                case '\f': _out.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        _out.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _out.Append(c);
                    }

                    break;
            }
        }

        _out.Append('"');
    }

    private sealed record ExtraNode(JsonNode? Node);
}
