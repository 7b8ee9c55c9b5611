using EccoStudio.Storage.Naming;

namespace EccoStudio.Api.Configuration;

/// <summary>The HTTP surface (section <c>Ecco:Api</c>).</summary>
public sealed class EccoApiOptions
{
    public const string SectionName = "Ecco:Api";

    /// <summary>Request bodies above this many bytes are refused with 413 (default 1 MiB).</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Environments this deployment serves, comma-separated; a route naming another one answers 404.</summary>
    public string ServedEnvironments { get; set; } = string.Join(',', Identifiers.Environments);

    /// <summary>The parsed <see cref="ServedEnvironments"/> (valid names only, in order).</summary>
    public IReadOnlyList<string> Environments =>
        [.. ServedEnvironments.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(e => Identifiers.Environments.Contains(e, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Local host only: when set, every route except <c>/api/health</c> and the Pub/Sub bridge requires this key
    /// (header <c>x-api-key</c> or <c>x-functions-key</c>, or query <c>code</c>). In Azure, function keys do this.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Most items one <c>POST /api/{env}/{entity}:batch</c> may carry (default 1000).</summary>
    public int MaxBatchItems { get; set; } = 1000;

    /// <summary>Batch request bodies above this many bytes are refused with 413 (default 16 MiB).</summary>
    public int MaxBatchBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Default page size of history and manifest listings (the caller may ask for up to <see cref="MaxPageSize"/>).</summary>
    public int DefaultPageSize { get; set; } = 50;

    public int MaxPageSize { get; set; } = 500;

    /// <summary>Who is recorded as the writer when the request names nobody (header <c>x-ecco-author</c>).</summary>
    public string DefaultAuthor { get; set; } = "api";

    /// <summary>
    /// The Durable task hub the management API answers for. A request naming another hub (<c>?taskHub=</c>, as the
    /// Durable extension's URLs and the Durable client libraries send it) is refused with 404 rather than answered
    /// from ours. The local host sets it from the engine's task hub.
    /// </summary>
    public string TaskHub { get; set; } = "EccoStudio";

    public bool Serves(string env) => Environments.Contains(env, StringComparer.Ordinal);
}
