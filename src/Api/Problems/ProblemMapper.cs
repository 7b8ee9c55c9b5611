using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Api.Bridge;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Naming;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Microsoft.AspNetCore.Http;

namespace EccoStudio.Api.Problems;

/// <summary>
/// The ONE place where failures become RFC 9457 problem documents, for both hosts. Input errors are 4xx with what
/// the caller needs to fix them (schema errors carry their JSON pointers); anything unexpected is a 500 whose detail
/// names no internals.
/// </summary>
public static class ProblemMapper
{
    public static Problem Map(Exception exception) => exception switch
    {
        PushAuthenticationException auth => new Problem(401, "unauthenticated-push", "Unauthorized", auth.Message),
        PushEnvelopeException envelope => new Problem(400, "malformed-push", "Malformed push", envelope.Message),
        ApiProblemException api => new Problem(api.Status, api.Slug, api.Title, api.Message),
        SchemaViolationException schema => new Problem(422, "schema-violation", "Schema violation",
            $"The document does not satisfy the {schema.Entity} schema v{schema.SchemaVersion}.")
        {
            Errors = SchemaErrors(schema.Errors),
            Extensions = new Dictionary<string, string?> { ["entity"] = schema.Entity, ["schemaVersion"] = schema.SchemaVersion },
        },
        UnknownSchemaVersionException version => new Problem(422, "unknown-schema-version", "Unknown schema version",
            $"No schema v{version.SchemaVersion} is published for {version.Entity}.")
        {
            Errors = Pointer("/schema_version", "published", "no schema is published for this version"),
        },
        EnvelopeException envelope => new Problem(400, "invalid-envelope", "Invalid envelope", envelope.Message)
        {
            Errors = Pointer("/" + envelope.Field, "envelope", envelope.Reason),
        },
        InvalidIdentifierException { Kind: IdentifierKind.Environment } env => new Problem(404, "unknown-environment", "Not found", env.Message),
        InvalidIdentifierException id => new Problem(400, "invalid-identifier", "Invalid identifier", id.Message)
        {
            Extensions = new Dictionary<string, string?> { ["identifierKind"] = id.Kind.ToString() },
        },
        UnknownEntityException entity => new Problem(404, "unknown-entity", "Not found", entity.Message),
        RuleFormatException rule => new Problem(422, "invalid-rule", "Invalid rule", rule.Message),
        JsonException json => new Problem(400, "malformed-json", "Malformed JSON", "The body is not valid JSON: " + FirstLine(json.Message)),
        SnapshotPreconditionFailedException precondition => new Problem(412, "precondition-failed", "Precondition failed", precondition.Message),
        EntityNotFoundException missing => new Problem(404, "not-found", "Not found", missing.Message),
        EntityChangedException changed => new Problem(412, "precondition-failed", "Precondition failed", changed.Message),
        WriteConflictException conflict => new Problem(409, "write-conflict", "Conflict", conflict.Message),
        PreconditionFailedException => new Problem(409, "concurrent-change", "Conflict", "The object changed concurrently; retry the request."),
        BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            new Problem(413, "payload-too-large", "Payload too large", "The request body exceeds the size limit."),
        BadHttpRequestException bad => new Problem(bad.StatusCode, "bad-request", "Bad request", FirstLine(bad.Message)),
        OperationCanceledException => new Problem(499, "cancelled", "Request cancelled", "The request was cancelled."),
        _ => new Problem(500, "internal", "Internal error", "The request failed unexpectedly; see the server log for details."),
    };

    /// <summary>Maps and writes the problem (for middleware and exception handlers).</summary>
    public static async Task WriteAsync(HttpContext context, Exception exception)
    {
        var problem = Map(exception);
        await WriteAsync(context, problem);
    }

    public static async Task WriteAsync(HttpContext context, Problem problem)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = problem.Status;
        context.Response.ContentType = Problem.ContentType;
        if (problem.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        var json = problem.ToJson(context.Request.Path.Value, context.TraceIdentifier);
        var bytes = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        context.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
    }

    /// <summary>An <see cref="IResult"/> writing the problem (for handlers returning results).</summary>
    public static IResult ToResult(Problem problem) => new ProblemResult(problem);

    private static JsonArray SchemaErrors(IReadOnlyList<SchemaError> errors)
    {
        var array = new JsonArray();
        foreach (var error in errors)
        {
            array.Add(new JsonObject
            {
                ["pointer"] = error.InstancePointer.Length == 0 ? "" : error.InstancePointer,
                ["keyword"] = error.Keyword,
                ["detail"] = error.Message,
            });
        }

        return array;
    }

    private static JsonArray Pointer(string pointer, string keyword, string detail) =>
        [new JsonObject { ["pointer"] = pointer, ["keyword"] = keyword, ["detail"] = detail }];

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }

    private sealed class ProblemResult(Problem problem) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => problem.Status;

        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, problem);
    }
}
