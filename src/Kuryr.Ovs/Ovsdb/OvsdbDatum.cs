using System.Text.Json;

namespace Kuryr.Ovs.Ovsdb;

/// <summary>Reads RFC 7047 §5.1 values out of select results.</summary>
public static class OvsdbDatum
{
    public static Guid ReadUuid(JsonElement value, string column)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && value[0].ValueEquals("uuid")
            && Guid.TryParse(value[1].GetString(), out var uuid))
        {
            return uuid;
        }

        throw new OvsdbProtocolException($"column {column}: expected [\"uuid\", <uuid>], got {value.GetRawText()}");
    }

    /// <summary>A set of uuids: a bare uuid atom is a one-element set (§5.1).</summary>
    public static IReadOnlyList<Guid> ReadUuidSet(JsonElement value, string column)
    {
        if (IsSet(value, out var items))
        {
            var list = new List<Guid>(items.GetArrayLength());
            foreach (var item in items.EnumerateArray())
            {
                list.Add(ReadUuid(item, column));
            }

            return list;
        }

        return [ReadUuid(value, column)];
    }

    public static IReadOnlyDictionary<string, string> ReadStringMap(JsonElement value, string column)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && value[0].ValueEquals("map")
            && value[1].ValueKind == JsonValueKind.Array)
        {
            var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in value[1].EnumerateArray())
            {
                if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                    || pair[0].ValueKind != JsonValueKind.String || pair[1].ValueKind != JsonValueKind.String)
                {
                    throw new OvsdbProtocolException($"column {column}: a map pair is not [string, string]: {pair.GetRawText()}");
                }

                map[pair[0].GetString()!] = pair[1].GetString()!;
            }

            return map;
        }

        throw new OvsdbProtocolException($"column {column}: expected [\"map\", [...]], got {value.GetRawText()}");
    }

    /// <summary>An optional integer (set of 0 or 1 integers): null when empty.</summary>
    public static long? ReadOptionalInteger(JsonElement value, string column)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
        {
            return n;
        }

        if (IsSet(value, out var items))
        {
            return items.GetArrayLength() switch
            {
                0 => null,
                1 when items[0].TryGetInt64(out var one) => one,
                _ => throw new OvsdbProtocolException($"column {column}: expected at most one integer, got {value.GetRawText()}"),
            };
        }

        throw new OvsdbProtocolException($"column {column}: expected an integer or an empty set, got {value.GetRawText()}");
    }

    /// <summary>An optional string (set of 0 or 1 strings): null when empty.</summary>
    public static string? ReadOptionalString(JsonElement value, string column)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        if (IsSet(value, out var items))
        {
            return items.GetArrayLength() switch
            {
                0 => null,
                1 when items[0].ValueKind == JsonValueKind.String => items[0].GetString(),
                _ => throw new OvsdbProtocolException($"column {column}: expected at most one string, got {value.GetRawText()}"),
            };
        }

        throw new OvsdbProtocolException($"column {column}: expected a string or an empty set, got {value.GetRawText()}");
    }

    public static JsonElement Column(JsonElement row, string column) =>
        row.TryGetProperty(column, out var value)
            ? value
            : throw new OvsdbProtocolException($"a selected row lacks column {column}: {row.GetRawText()}");

    /// <summary>The "rows" array of a select result.</summary>
    public static JsonElement.ArrayEnumerator Rows(JsonElement selectResult, string table) =>
        selectResult.TryGetProperty("rows", out var rows) && rows.ValueKind == JsonValueKind.Array
            ? rows.EnumerateArray()
            : throw new OvsdbProtocolException($"select on {table} returned no rows array: {selectResult.GetRawText()}");

    private static bool IsSet(JsonElement value, out JsonElement items)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && value[0].ValueEquals("set")
            && value[1].ValueKind == JsonValueKind.Array)
        {
            items = value[1];
            return true;
        }

        items = default;
        return false;
    }
}
