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

    public static GcsException BucketNotFound(string bucket) => NotFound($"The specified bucket does not exist: {bucket}");

    public static GcsException ObjectNotFound(string bucket, string name, long? generation = null) =>
        NotFound(generation is { } g
            ? $"No such object: {bucket}/{name} (generation {g})"
            : $"No such object: {bucket}/{name}");
}
