using EccoStudio.Api.Instances;
using EccoStudio.Api.Problems;
using EccoStudio.Api.Reads;
using EccoStudio.Api.Writes;
using EccoStudio.Storage.History;
using EccoStudio.Testing;
using EccoStudio.Testing.Fakes;
using EccoStudio.Triggers.Http;
using EccoStudio.Triggers.Tests.Fakes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Triggers.Tests;

/// <summary>
/// The entity triggers as classes (fake <c>FunctionContext</c>, <see cref="DefaultHttpContext"/> requests, a Durable
/// client with no webhook binding): they delegate to the shared handlers and answer exactly what the local host answers
/// for the same request (the local host runs the same handler with its own links, failures through the same mapper).
/// </summary>
public sealed class EntityFunctionsTests(GcsEmulatorFixture gcs) : IClassFixture<GcsEmulatorFixture>, IAsyncLifetime
{
    private const string Venture = """{"schema_version":"1.0.0","lead":"Ann","status":"Idea","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}""";

    private TriggerHarness _harness = null!;
    private EntityFunctions _functions = null!;

    public async Task InitializeAsync()
    {
        _harness = TriggerHarness.Create(gcs, await gcs.CreateBucketAsync(versioning: true));
        _functions = new EntityFunctions(_harness.Services.GetRequiredService<WriteRequestHandler>(), _harness.Services.GetRequiredService<BatchRequestHandler>(),
            _harness.Services.GetRequiredService<ReadRequestHandler>());
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>What the local host answers: the shared handler with local links, exceptions through <see cref="ProblemMapper"/>.</summary>
    private static async Task<TriggerHarness.Response> LocalHostAsync(HttpContext http, Func<IStatusLinks, Task<IResult>> handler)
    {
        try
        {
            await (await handler(LocalStatusLinks.For(http.Request))).ExecuteAsync(http);
        }
        catch (Exception e)
        {
            await ProblemMapper.WriteAsync(http, e);
        }

        return await TriggerHarness.Response.ReadAsync(http);
    }

    private static (string, string)[] Key(string key) => [("Idempotency-Key", key)];

    [Fact]
    public async Task PutEntity_ValidDocument_SchedulesTheWriteAndAnswersLikeTheLocalHost()
    {
        var key = "put-" + Guid.NewGuid().ToString("N");
        var client = new NoEngineDurableTaskClient();
        var triggerHttp = TriggerHarness.Request("PUT", "/api/dev/ventures/V-T1", Venture, headers: Key(key));
        var localHttp = TriggerHarness.Request("PUT", "/api/dev/ventures/V-T1", Venture, headers: Key(key));
        var writes = _harness.Services.GetRequiredService<WriteRequestHandler>();

        var trigger = await _harness.InvokeAsync("PutEntity", triggerHttp,
            () => _functions.PutEntity(triggerHttp.Request, "dev", "ventures", "V-T1", client));
        var local = await LocalHostAsync(localHttp,
            links => writes.HandleAsync(localHttp.Request, "dev", "ventures", "V-T1", ChangeKind.Full, client, links, CancellationToken.None));

        Assert.Equal(202, trigger.Status);
        Assert.Equal((local.Status, local.Headers.Location.ToString(), local.Text), (trigger.Status, trigger.Headers.Location.ToString(), trigger.Text));
        var payload = trigger.Json!;
        Assert.Equal($"http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(payload["id"]!.GetValue<string>())}",
            payload["statusQueryGetUri"]!.GetValue<string>());
        var write = _harness.Scheduler.Calls.First();
        Assert.Equal(("write", "dev/venture/V-T1", payload["id"]!.GetValue<string>()), (write.Kind, write.Target, write.InstanceId));
    }

    [Fact]
    public async Task PatchEntity_MergePatchOnMissingEntity_IsRefusedLikeTheLocalHost()
    {
        var client = new NoEngineDurableTaskClient();
        var triggerHttp = TriggerHarness.Request("PATCH", "/api/dev/ventures/V-NONE", """{"status":"Pilot"}""", "application/merge-patch+json");
        var localHttp = TriggerHarness.Request("PATCH", "/api/dev/ventures/V-NONE", """{"status":"Pilot"}""", "application/merge-patch+json");
        var writes = _harness.Services.GetRequiredService<WriteRequestHandler>();

        var trigger = await _harness.InvokeAsync("PatchEntity", triggerHttp,
            () => _functions.PatchEntity(triggerHttp.Request, "dev", "ventures", "V-NONE", client));
        var local = await LocalHostAsync(localHttp,
            links => writes.HandleAsync(localHttp.Request, "dev", "ventures", "V-NONE", ChangeKind.MergePatch, client, links, CancellationToken.None));

        Assert.InRange(trigger.Status, 400, 499);
        Assert.Equal(Problem.ContentType, trigger.ContentType);
        Assert.Equal((local.Status, local.Json!["type"]!.ToJsonString(), local.Json!["detail"]!.ToJsonString()),
            (trigger.Status, trigger.Json!["type"]!.ToJsonString(), trigger.Json!["detail"]!.ToJsonString()));
        Assert.Empty(_harness.Scheduler.Calls);
    }

    public static TheoryData<string, string, string, string, string?, int, string> BadWrites() => new()
    {
        { "unknown env", "qa", "ventures", "V1", "application/json", 404, "unknown-environment" },
        { "unknown entity", "dev", "spaceships", "V1", "application/json", 404, "unknown-entity" },
        { "traversal id", "dev", "ventures", "..", "application/json", 400, "invalid-identifier" },
        { "wrong media type", "dev", "ventures", "V1", "text/plain", 415, "unsupported-media-type" },
        { "schema violation", "dev", "ventures", "V1", "application/json", 422, "schema-violation" },
        { "malformed json", "dev", "ventures", "V1", "application/json", 400, "malformed-json" },
    };

    [Theory]
    [MemberData(nameof(BadWrites))]
    public async Task PutEntity_BadRequest_GetsTheSharedProblemAndSchedulesNothing(string name, string env, string entity, string id, string? mediaType,
        int status, string slug)
    {
        var body = name switch
        {
            "schema violation" => Venture.Replace("\"plannedUSD\":1", "\"plannedUSD\":\"1\"", StringComparison.Ordinal),
            "malformed json" => "{\"schema_version\":",
            _ => Venture,
        };
        var http = TriggerHarness.Request("PUT", $"/api/{env}/{entity}/{id}", body, mediaType);

        var response = await _harness.InvokeAsync("PutEntity", http, () => _functions.PutEntity(http.Request, env, entity, id, new NoEngineDurableTaskClient()));

        Assert.Equal(status, response.Status);
        Assert.Equal(Problem.ContentType, response.ContentType);
        Assert.Equal(Problem.TypePrefix + slug, response.Json!["type"]!.GetValue<string>());
        if (slug == "schema-violation")
        {
            Assert.Contains(response.Json!["errors"]!.AsArray(), e => e!["pointer"]!.GetValue<string>() == "/budget/plannedUSD");
        }

        Assert.Empty(_harness.Scheduler.Calls);
    }

    [Fact]
    public async Task GetEntity_NoSnapshot_Is404Problem()
    {
        var http = TriggerHarness.Request("GET", "/api/dev/ventures/V-MISSING", null);

        var response = await _harness.InvokeAsync("GetEntity", http, () => _functions.GetEntity(http.Request, "dev", "ventures", "V-MISSING"));

        Assert.Equal(404, response.Status);
        Assert.Equal(Problem.TypePrefix + "not-found", response.Json!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetEntityCollection_EmptyBucket_ListsNothing()
    {
        var http = TriggerHarness.Request("GET", "/api/dev/ventures", null);

        var response = await _harness.InvokeAsync("GetEntityCollection", http, () => _functions.GetEntityCollection(http.Request, "dev", "ventures"));

        Assert.Equal(200, response.Status);
        Assert.Empty(response.Json!["items"]!.AsArray());
    }
}
