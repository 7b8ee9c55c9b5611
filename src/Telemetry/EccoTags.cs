namespace EccoStudio.Telemetry;

/// <summary>
/// Attribute (tag) names of our own, beside OpenTelemetry's semantic conventions (<c>http.*</c>, <c>url.*</c>,
/// <c>server.*</c>, set by the ASP.NET Core and HttpClient instrumentation). Values are identifiers and outcomes only:
/// never a document body, a header value, a key or a token (docs/observability.md, "What is never recorded").
/// </summary>
public static class EccoTags
{
    public const string Env = "ecco.env";
    public const string Entity = "ecco.entity";
    public const string Id = "ecco.id";
    public const string Step = "ecco.step";
    public const string Attempt = "ecco.attempt";
    public const string Workflow = "ecco.workflow";
    public const string Outcome = "ecco.outcome";
    public const string Change = "ecco.change";
    public const string InstanceId = "ecco.instance_id";
    public const string ObjectName = "ecco.object";
    public const string Generation = "ecco.generation";
    public const string ObjectKind = "ecco.object_kind";
    public const string Bucket = "gcs.bucket";
    public const string Operation = "gcs.operation";
    public const string Direction = "ecco.direction";
    public const string Reason = "ecco.reason";
}
