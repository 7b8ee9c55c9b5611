using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EccoStudio.Telemetry;

/// <summary>
/// Owner of the GCS instruments (meter and activity source <c>EccoStudio.Storage</c>): one span per store call
/// (<c>gcs.get</c>, <c>gcs.put</c>, …; its HTTP requests are child spans), one count per HTTP request by kind and
/// outcome, bytes moved, and objects created (create-only puts: the object count's growth, cheaply).
/// </summary>
public static class StorageTelemetry
{
    public static readonly ActivitySource Source = new(EccoTelemetryNames.Storage);
    public static readonly Meter Meter = new(EccoTelemetryNames.Storage);

    // Bucket bounds for latencies in seconds (the SDK default suits milliseconds): 1 ms … 60 s.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    /// <summary>Each GCS request (retries count again): gcs.operation, ecco.outcome (ok, not_found, 412, 429, 5xx, …).</summary>
    public static readonly Counter<long> Operations = Meter.CreateCounter<long>("ecco.gcs.operations", "{request}", "GCS requests by kind and outcome");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("ecco.gcs.retries", "{retry}", "GCS requests retried after a transient failure");

    /// <summary>Payload bytes (ecco.direction = read | write), as stored (after gzip).</summary>
    public static readonly Counter<long> Bytes = Meter.CreateCounter<long>("ecco.gcs.bytes", "By", "Object payload bytes read and written");

    /// <summary>Create-only puts that created an object (ecco.object_kind): how fast the object count grows.</summary>
    public static readonly Counter<long> ObjectsCreated = Meter.CreateCounter<long>("ecco.gcs.objects.created", "{object}", "Objects created");

    /// <summary>Successful puts (ecco.object_kind): with versioning on, each keeps one more generation.</summary>
    public static readonly Counter<long> GenerationsWritten = Meter.CreateCounter<long>("ecco.gcs.generations.written", "{generation}", "Object generations written");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("ecco.gcs.duration", "s", "Store call duration including retries", advice: Seconds);

    private static readonly HashSet<string> KnownKinds = new(StringComparer.Ordinal)
    {
        "history", "snapshots", "manifests", "indices", "schemas", "logs", "tmp", "rules",
    };

    /// <summary>
    /// The layout folder of an object name (<c>env/{env}/{kind}/…</c>), bounded to the layout's folders so that a
    /// foreign object name cannot explode metric cardinality. History lives under the entity prefix.
    /// </summary>
    public static string ObjectKind(string name)
    {
        var parts = name.Split('/', 4);
        if (parts.Length >= 3 && parts[0] == "env")
        {
            return KnownKinds.Contains(parts[2]) ? parts[2] : "history";
        }

        return KnownKinds.Contains(parts[0]) ? parts[0] : "other";
    }

    /// <summary>
    /// An object name fit for a span: index pointer names carry a document's key value
    /// (<c>env/{env}/indices/{prefix}/{index}/{key}[/{id}].json</c>), which is document content; it becomes <c>{key}</c>.
    /// </summary>
    public static string RedactObjectName(string name)
    {
        var parts = name.Split('/');
        if (parts.Length < 6 || parts[0] != "env" || parts[2] != "indices")
        {
            return name;
        }

        parts[5] = parts.Length == 6 && parts[5].EndsWith(".json", StringComparison.Ordinal) ? "{key}.json" : "{key}";
        return string.Join('/', parts);
    }

    /// <summary>
    /// A GCS request URL fit for a span: object names in the path (<c>/o/{name}</c>) redacted as
    /// <see cref="RedactObjectName"/>, query values dropped (an upload names its object there).
    /// </summary>
    public static string RedactUrl(Uri uri)
    {
        var segments = uri.AbsolutePath.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            if (segments[i - 1] == "o" && segments[i].Length > 0)
            {
                segments[i] = Uri.EscapeDataString(RedactObjectName(Uri.UnescapeDataString(segments[i])));
            }
        }

        var path = string.Join('/', segments);
        return uri.GetLeftPart(UriPartial.Authority) + path + (uri.Query.Length > 1 ? "?REDACTED" : "");
    }

    /// <summary>An HTTP status as an outcome label: ok, not_found, precondition_failed (412), throttled (429), server_error (5xx), …</summary>
    public static string Outcome(int? status) => status switch
    {
        null => "network_error",
        >= 200 and < 300 => "ok",
        304 => "not_modified",
        404 => "not_found",
        408 => "timeout",
        409 => "conflict",
        412 => "precondition_failed",
        429 => "throttled",
        >= 500 => "server_error",
        _ => "client_error",
    };
}
