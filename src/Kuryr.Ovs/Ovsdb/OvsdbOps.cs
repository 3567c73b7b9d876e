using System.Text.Json.Nodes;

namespace Kuryr.Ovs.Ovsdb;

/// <summary>Builders for RFC 7047 §5.2 operations and §5.1 notation (atoms, sets, maps, conditions).</summary>
public static class OvsdbOps
{
    public static JsonObject Select(string table, JsonArray where, params string[] columns)
    {
        var op = new JsonObject { ["op"] = "select", ["table"] = table, ["where"] = where };
        if (columns.Length > 0)
        {
            op["columns"] = Strings(columns);
        }

        return op;
    }

    public static JsonObject Insert(string table, JsonObject row, string? uuidName = null)
    {
        var op = new JsonObject { ["op"] = "insert", ["table"] = table, ["row"] = row };
        if (uuidName is not null)
        {
            op["uuid-name"] = uuidName;
        }

        return op;
    }

    public static JsonObject Mutate(string table, JsonArray where, params JsonArray[] mutations) =>
        new() { ["op"] = "mutate", ["table"] = table, ["where"] = where, ["mutations"] = new JsonArray([.. mutations]) };

    public static JsonObject Update(string table, JsonArray where, JsonObject row) =>
        new() { ["op"] = "update", ["table"] = table, ["where"] = where, ["row"] = row };

    public static JsonObject Delete(string table, JsonArray where) =>
        new() { ["op"] = "delete", ["table"] = table, ["where"] = where };

    /// <summary>
    /// <c>wait</c> with timeout 0: fails at once ("timed out") unless the selected rows' columns
    /// compare to <paramref name="rows"/> with <paramref name="until"/> ("==" or "!=").
    /// </summary>
    public static JsonObject Wait(string table, JsonArray where, string until, JsonArray rows, params string[] columns) =>
        new()
        {
            ["op"] = "wait",
            ["table"] = table,
            ["where"] = where,
            ["columns"] = Strings(columns),
            ["until"] = until,
            ["rows"] = rows,
            ["timeout"] = 0,
        };

    public static JsonObject Comment(string text) => new() { ["op"] = "comment", ["comment"] = text };

    public static JsonArray Where(params JsonArray[] conditions) => new([.. conditions]);

    public static JsonArray Condition(string column, string function, JsonNode? value) => new(column, function, value);

    public static JsonArray Mutation(string column, string mutator, JsonNode? value) => new(column, mutator, value);

    public static JsonArray Uuid(Guid uuid) => new("uuid", uuid.ToString());

    public static JsonArray NamedUuid(string name) => new("named-uuid", name);

    public static JsonArray Set(params JsonNode?[] atoms) => new("set", new JsonArray(atoms));

    public static JsonArray Map(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var items = new JsonArray();
        foreach (var (k, v) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            items.Add(new JsonArray(k, v));
        }

        return new JsonArray("map", items);
    }

    private static JsonArray Strings(string[] values)
    {
        var a = new JsonArray();
        foreach (var v in values)
        {
            a.Add(v);
        }

        return a;
    }
}
