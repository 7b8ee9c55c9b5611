using System.Text.Json.Nodes;

namespace EccoStudio.Api.Problems;

/// <summary>An RFC 9457 problem document before it is written (<c>application/problem+json</c>).</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Slug">Problem type slug; the type URI is <see cref="TypePrefix"/> + slug.</param>
/// <param name="Title">Short, stable summary of the problem type.</param>
/// <param name="Detail">This occurrence, for a human; never carries secrets.</param>
public sealed record Problem(int Status, string Slug, string Title, string Detail)
{
    public const string TypePrefix = "urn:ecco-studio:problem:";

    public const string ContentType = "application/problem+json";

    /// <summary>Schema errors: <c>[{"pointer","keyword","detail"}]</c> (RFC 9457 §3.2 extension member <c>errors</c>).</summary>
    public JsonArray? Errors { get; init; }

    /// <summary>Per-item problems of a batch: <c>[{"index","id","status","type","detail","errors"?}]</c> (extension member <c>items</c>).</summary>
    public JsonArray? Items { get; init; }

    /// <summary>Extra members (identifiers the caller can act on).</summary>
    public IReadOnlyDictionary<string, string?> Extensions { get; init; } = new Dictionary<string, string?>();

    public JsonObject ToJson(string? instance, string? traceId)
    {
        var json = new JsonObject
        {
            ["type"] = TypePrefix + Slug,
            ["title"] = Title,
            ["status"] = Status,
            ["detail"] = Detail,
        };
        if (instance is not null)
        {
            json["instance"] = instance;
        }

        foreach (var (key, value) in Extensions)
        {
            json[key] = value;
        }

        if (Errors is not null)
        {
            json["errors"] = Errors.DeepClone();
        }

        if (Items is not null)
        {
            json["items"] = Items.DeepClone();
        }

        if (traceId is not null)
        {
            json["traceId"] = traceId;
        }

        return json;
    }
}
