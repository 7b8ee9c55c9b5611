using System.Text.Json;
using EccoStudio.Api.Bridge;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Tests.Fakes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Naming;
using EccoStudio.Storage.Rules;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Microsoft.AspNetCore.Http;

namespace EccoStudio.Api.Tests.Problems;

/// <summary>The one mapping from failures to RFC 9457 problem documents, exception by exception.</summary>
public sealed class ProblemMapperTests
{
    public static TheoryData<string, int, string> Cases() => new()
    {
        { "push-auth", 401, "unauthenticated-push" },
        { "push-envelope", 400, "malformed-push" },
        { "api-413", 413, "payload-too-large" },
        { "api-not-found", 404, "instance-not-found" },
        { "schema", 422, "schema-violation" },
        { "schema-version", 422, "unknown-schema-version" },
        { "envelope", 400, "invalid-envelope" },
        { "env", 404, "unknown-environment" },
        { "id", 400, "invalid-identifier" },
        { "index-key", 400, "invalid-identifier" },
        { "entity", 404, "unknown-entity" },
        { "rule", 422, "invalid-rule" },
        { "json", 400, "malformed-json" },
        { "conflict", 409, "write-conflict" },
        { "precondition", 409, "concurrent-change" },
        { "kestrel-413", 413, "payload-too-large" },
        { "kestrel-400", 400, "bad-request" },
        { "cancelled", 499, "cancelled" },
        { "unexpected", 500, "internal" },
    };

    private static Exception Create(string name) => name switch
    {
        "push-auth" => new PushAuthenticationException("The push carries no bearer token."),
        "push-envelope" => new PushEnvelopeException("The push body has no 'message' object."),
        "api-413" => new ApiProblemException(413, "payload-too-large", "Payload too large", "The request body exceeds 10 bytes."),
        "api-not-found" => ApiProblemException.NotFound("instance-not-found", "No orchestration instance 'x'."),
        "schema" => new SchemaViolationException("venture", "V1", "1.0.0",
            [new SchemaError("/budget/plannedUSD", "type", "Value is \"string\" but should be \"number\""), new SchemaError("", "required", "Required properties [\"status\"] are not present")]),
        "schema-version" => new UnknownSchemaVersionException("venture", "9.9.9"),
        "envelope" => new EnvelopeException("updated_at", "yesterday", "is not an RFC 3339 UTC timestamp"),
        "env" => new InvalidIdentifierException(IdentifierKind.Environment, "qa", "is not dev, stg or prod"),
        "id" => new InvalidIdentifierException(IdentifierKind.Id, "..", "contains '..'"),
        "index-key" => new InvalidIdentifierException(IdentifierKind.IndexKey, "a/b", "contains '/'"),
        "entity" => new UnknownEntityException("spaceship"),
        "rule" => new RuleFormatException("R1", "unknown op 'between'"),
        "json" => new JsonException("'}' is invalid after a property name.\nLineNumber: 0 | BytePositionInLine: 5."),
        "conflict" => new WriteConflictException("env/dev/ventures/V1/history/x.json"),
        "precondition" => new PreconditionFailedException("bucket", "env/dev/snapshots/ventures/V1.json", 5, null),
        "kestrel-413" => new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge),
        "kestrel-400" => new BadHttpRequestException("Malformed request: invalid headers.", StatusCodes.Status400BadRequest),
        "cancelled" => new OperationCanceledException(),
        "unexpected" => new InvalidOperationException("secret connection string AccountKey=abc"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task WriteAsync_TypedException_WritesStatusAndProblemFields(string name, int status, string slug)
    {
        var context = HttpExchange.Request("PUT", "/api/dev/ventures/V1");
        context.TraceIdentifier = "trace-1";

        var response = await HttpExchange.RunAsync(context, () => throw Create(name));

        var problem = response.AssertProblem(status, slug);
        Assert.Equal("/api/dev/ventures/V1", problem["instance"]!.GetValue<string>());
        Assert.Equal("trace-1", problem["traceId"]!.GetValue<string>());
        Assert.Equal(status == 401, response.Headers.ContainsKey("WWW-Authenticate"));
    }

    [Fact]
    public void Map_Unexpected_NamesNoInternals()
    {
        var problem = ProblemMapper.Map(Create("unexpected"));

        Assert.DoesNotContain("AccountKey", problem.Detail, StringComparison.Ordinal);
        Assert.Null(problem.Errors);
    }

    [Fact]
    public void Map_SchemaViolation_CarriesEveryErrorWithItsJsonPointer()
    {
        var problem = ProblemMapper.Map(Create("schema")).ToJson("/api/dev/ventures/V1", null);

        var errors = problem["errors"]!.AsArray().Select(e => (e!["pointer"]!.GetValue<string>(), e["keyword"]!.GetValue<string>())).ToList();
        Assert.Equal([("/budget/plannedUSD", "type"), ("", "required")], errors);
        Assert.Equal("venture", problem["entity"]!.GetValue<string>());
        Assert.Equal("1.0.0", problem["schemaVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Map_EnvelopeError_PointsAtTheField()
    {
        var problem = ProblemMapper.Map(Create("envelope"));

        var error = Assert.Single(problem.Errors!)!;
        Assert.Equal("/updated_at", error["pointer"]!.GetValue<string>());
    }

    [Fact]
    public void Map_UnknownSchemaVersion_PointsAtSchemaVersion()
    {
        var problem = ProblemMapper.Map(Create("schema-version"));

        Assert.Equal("/schema_version", Assert.Single(problem.Errors!)!["pointer"]!.GetValue<string>());
        Assert.Contains("9.9.9", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_InvalidId_NamesTheIdentifierKind()
    {
        var problem = ProblemMapper.Map(Create("index-key"));

        Assert.Equal("IndexKey", problem.Extensions["identifierKind"]);
    }

    [Fact]
    public void Map_MalformedJson_KeepsOnlyTheFirstLine()
    {
        var problem = ProblemMapper.Map(Create("json"));

        Assert.DoesNotContain("\n", problem.Detail, StringComparison.Ordinal);
        Assert.StartsWith("The body is not valid JSON: '}'", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ResponseAlreadyStarted_LeavesItAlone()
    {
        var context = HttpExchange.Request("GET", "/api/health");
        var feature = new StartedResponseFeature();
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>(feature);

        await ProblemMapper.WriteAsync(context, Create("unexpected"));

        Assert.Equal(200, feature.StatusCode);
    }

    [Fact]
    public void ToJson_Extensions_AreTopLevelMembers()
    {
        var json = new Problem(409, "x", "Conflict", "d") { Extensions = new Dictionary<string, string?> { ["instanceId"] = "i-1" } }.ToJson(null, null);

        Assert.Equal("i-1", json["instanceId"]!.GetValue<string>());
        Assert.False(json.ContainsKey("instance"));
        Assert.False(json.ContainsKey("errors"));
        Assert.Equal(JsonValueKind.Number, json["status"]!.GetValueKind());
    }

    private sealed class StartedResponseFeature : Microsoft.AspNetCore.Http.Features.HttpResponseFeature
    {
        public StartedResponseFeature() => StatusCode = 200;

        public override bool HasStarted => true;
    }
}
