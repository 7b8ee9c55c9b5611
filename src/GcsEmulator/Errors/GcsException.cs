using System.Net;

namespace EccoStudio.GcsEmulator.Errors;

/// <summary>A GCS JSON API error: HTTP status, the error reason (e.g. conditionNotMet) and a message.</summary>
public sealed class GcsException(int statusCode, string reason, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Reason { get; } = reason;

    public static GcsException BadRequest(string message, string reason = "invalid") =>
        new((int)HttpStatusCode.BadRequest, reason, message);

    public static GcsException NotFound(string message) => new((int)HttpStatusCode.NotFound, "notFound", message);

    public static GcsException Conflict(string message) => new((int)HttpStatusCode.Conflict, "conflict", message);

    public static GcsException PreconditionFailed() =>
        new((int)HttpStatusCode.PreconditionFailed, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");

    public static GcsException NotModified() => new((int)HttpStatusCode.NotModified, "notModified", "Not Modified");

    public static GcsException RateLimited(string bucket, string name) =>
        new((int)HttpStatusCode.TooManyRequests, "rateLimitExceeded",
            $"The object {bucket}/{name} exceeded the rate limit for object mutation operations (create, update, and delete).");

    /// <summary>
    /// 403 <c>retentionPolicyNotMet</c>: what GCS answers when a delete or replace would remove a generation that a
    /// retention (bucket policy or object retention) still protects.
    /// </summary>
    public static GcsException RetentionNotMet(string bucket, string name, DateTimeOffset until) =>
        new((int)HttpStatusCode.Forbidden, "retentionPolicyNotMet",
            $"Object '{bucket}/{name}' is subject to object retention and cannot be deleted or overwritten until "
            + until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture) + ".");

    /// <summary>403 for a retention change the object's mode does not allow (Locked), or Unlocked without the override.</summary>
    public static GcsException RetentionChangeForbidden(string message) => new((int)HttpStatusCode.Forbidden, "forbidden", message);

    public static GcsException BucketNotFound(string bucket) => NotFound($"The specified bucket does not exist: {bucket}");

    public static GcsException ObjectNotFound(string bucket, string name, long? generation = null) =>
        NotFound(generation is { } g
            ? $"No such object: {bucket}/{name} (generation {g})"
            : $"No such object: {bucket}/{name}");
}
