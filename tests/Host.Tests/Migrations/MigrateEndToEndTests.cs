using System.Net;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Migrations;
using EccoStudio.Storage.Writes;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Host.Tests.Migrations;

/// <summary>
/// Schema evolution on the local host over HTTP (issue 13 item 4): writes in venture 1.0.0 and 1.1.0 accepted and kept
/// as sent in history with snapshots at 1.1.0; <c>POST /api/ops/migrate/{env}/{entity}?to=</c> rewriting what the
/// 1.0.0-only deployment left, through MigrateSchemaOrchestrator; bad input refused with a problem document and
/// nothing written. Emulator faults are class-wide: tests here run one at a time.
/// </summary>
public sealed class MigrateEndToEndTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    private StorageContext Context => fixture.Host.Services.GetRequiredService<StorageContext>();

    private static JsonObject V100(string env, string id, string name, string lead) => JsonText.ParseObject($$"""
        {"id":"{{id}}","entity":"venture","env":"{{env}}","schema_version":"1.0.0","created_at":"2025-11-01T00:00:00Z","updated_at":"2025-11-01T00:00:00Z",
         "name":"{{name}}","lead":"{{lead}}","status":"Pilot","milestones":[]}
        """);

    /// <summary>Ventures as the 1.0.0-only deployment left them: written with the old fold (no migrations), one patched.</summary>
    private async Task SeedOldAsync(string env, int count)
    {
        var old = new EntityWritePipeline(Context with { Migrations = SchemaMigrations.None });
        for (var i = 1; i <= count; i++)
        {
            await old.WriteAsync(new EntityTarget(env, EntityCatalog.Venture, $"VM-{i}"), V100(env, $"VM-{i}", $"Old {i}", i % 2 == 0 ? "Ann" : "Bob"), Ulid.NewUlid());
        }

        await old.WriteAsync(new EntityTarget(env, EntityCatalog.Venture, "VM-1"), JsonText.ParseObject("""{"updated_at":"2025-11-02T00:00:00Z","status":"Build"}"""),
            Ulid.NewUlid(), ChangeKind.MergePatch);
    }

    [Fact]
    public async Task Migrate_OverHttp_WritesInBothVersionsThenEverySnapshotAt110HistoryAsSentVerifyClean()
    {
        await SeedOldAsync("dev", 6);
        Assert.Equal("1.0.0", JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri("api/dev/ventures/VM-2", UriKind.Relative)))!["schema_version"]!.GetValue<string>());

        // Writes in either version are accepted; the snapshot is at 1.1.0, history holds what was sent.
        await WriteAsync(HttpMethod.Put, "api/dev/ventures/VH-1", """{"schema_version":"1.0.0","name":"Hello","lead":"Bob","status":"Idea"}""");
        await WriteAsync(HttpMethod.Put, "api/dev/ventures/VH-2", """{"schema_version":"v1.1.0","title":"World","lead":"Ann","status":"Idea","reportingCurrency":"EUR"}""");
        await WriteAsync(HttpMethod.Patch, "api/dev/ventures/VH-1", """{"name":"Hello again"}""", "application/merge-patch+json");
        var vh1 = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri("api/dev/ventures/VH-1", UriKind.Relative)))!.AsObject();
        Assert.Equal("1.1.0", vh1["schema_version"]!.GetValue<string>());
        Assert.Equal("Hello again", vh1["title"]!.GetValue<string>());
        Assert.Equal("USD", vh1["reportingCurrency"]!.GetValue<string>());
        Assert.False(vh1.ContainsKey("name"));
        var history = await fixture.Http.GetStringAsync(new Uri("api/dev/ventures/VH-1/history", UriKind.Relative));
        Assert.Contains("\"name\":\"Hello\"", history, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"Hello again\"", history, StringComparison.Ordinal);
        Assert.Contains("\"schema_version\":\"1.0.0\"", history, StringComparison.Ordinal);
        var historyBefore = (await fixture.BucketFingerprintAsync()).Where(v => v.StartsWith("env/dev/ventures/", StringComparison.Ordinal)).ToList();

        using var accepted = await MigrateAsync("api/ops/migrate/dev/ventures?to=1.1.0&pageSize=2&parallelism=2", ("x-ecco-author", "ops@ecco"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var payload = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("migrate:dev:ventures:v1.1.0", payload["id"]!.GetValue<string>());
        var status = await fixture.WaitForCompletionAsync(accepted.Headers.Location!, TimeSpan.FromMinutes(2));

        Assert.True(status["runtimeStatus"]!.GetValue<string>() == "Completed", status.ToJsonString());
        var counts = status["output"]!["Counts"]!.AsObject();
        Assert.Equal(6, counts["Migrated"]!.GetValue<int>());
        Assert.Equal(2, counts["AlreadyCurrent"]!.GetValue<int>());
        Assert.Equal(0, counts["Failed"]!.GetValue<int>());
        var vm1 = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri("api/dev/ventures/VM-1", UriKind.Relative)))!.AsObject();
        Assert.Equal("Old 1", vm1["title"]!.GetValue<string>());
        Assert.Equal("Build", vm1["status"]!.GetValue<string>());
        Assert.Equal("1.1.0", vm1["schema_version"]!.GetValue<string>());
        Assert.Equal(historyBefore, (await fixture.BucketFingerprintAsync()).Where(v => v.StartsWith("env/dev/ventures/", StringComparison.Ordinal)).ToList());
        var byLead = await fixture.Http.GetStringAsync(new Uri("api/dev/ventures?index=by-lead&key=Ann", UriKind.Relative));
        Assert.Contains("\"title\":\"Old 2\"", byLead, StringComparison.Ordinal);
        Assert.DoesNotContain("\"name\"", byLead, StringComparison.Ordinal);
        var listing = await fixture.Http.GetStringAsync(new Uri("api/dev/ventures?pageSize=100", UriKind.Relative));
        Assert.Contains("\"title\":\"Old 6\"", listing, StringComparison.Ordinal);
        var report = await new ConsistencyChecker(Context).CheckAsync("dev", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());

        // Asking again finds the completed migration: same instance, nothing written.
        var after = await fixture.BucketFingerprintAsync();
        using var again = await MigrateAsync("api/ops/migrate/dev/ventures?to=1.1.0");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal("migrate:dev:ventures:v1.1.0", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        Assert.Equal(after, await fixture.BucketFingerprintAsync());
    }

    [Fact]
    public async Task Migrate_OverHttpWith503sOnUploadsMidway_CompletesVerifyClean()
    {
        await SeedOldAsync("prod", 8);
        fixture.Host.Gcs.Faults.Update(new FaultSettings { Rate503 = 0.4, Method = "POST", ObjectPrefix = "env/prod/", Seed = 11 });
        JsonObject status;
        try
        {
            using var accepted = await MigrateAsync("api/ops/migrate/prod/ventures?to=1.1.0&pageSize=3");
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            status = await fixture.WaitForCompletionAsync(accepted.Headers.Location!, TimeSpan.FromMinutes(3));
        }
        finally
        {
            fixture.Host.Gcs.Faults.Update(new FaultSettings());
        }

        Assert.True(status["runtimeStatus"]!.GetValue<string>() == "Completed", status.ToJsonString());
        var report = await new ConsistencyChecker(Context).CheckAsync("prod", [EntityCatalog.Venture]);
        Assert.True(report.IsConsistent, report.Summary());
    }

    [Theory]
    [InlineData("api/ops/migrate/dev/ventures", HttpStatusCode.UnprocessableEntity, "invalid-migration-request")]
    [InlineData("api/ops/migrate/dev/ventures?to=1.1", HttpStatusCode.UnprocessableEntity, "invalid-migration-request")]
    [InlineData("api/ops/migrate/dev/ventures?to=1.1.0&to=1.1.0", HttpStatusCode.UnprocessableEntity, "invalid-migration-request")]
    [InlineData("api/ops/migrate/dev/ventures?to=1.1.0&pageSize=0", HttpStatusCode.UnprocessableEntity, "invalid-migration-request")]
    [InlineData("api/ops/migrate/dev/ventures?to=1.0.0", HttpStatusCode.UnprocessableEntity, "invalid-migration-target")]
    [InlineData("api/ops/migrate/dev/ventures?to=9.9.9", HttpStatusCode.UnprocessableEntity, "unknown-schema-version")]
    [InlineData("api/ops/migrate/dev/ideas?to=1.1.0", HttpStatusCode.UnprocessableEntity, "unknown-schema-version")]
    [InlineData("api/ops/migrate/dev/unicorns?to=1.1.0", HttpStatusCode.NotFound, "unknown-entity")]
    [InlineData("api/ops/migrate/dev/venture?to=1.1.0", HttpStatusCode.NotFound, "unknown-entity")]
    [InlineData("api/ops/migrate/qa/ventures?to=1.1.0", HttpStatusCode.NotFound, "unknown-environment")]
    [InlineData("api/ops/migrate/stg/ventures?to=1.1.0", HttpStatusCode.NotFound, "unknown-environment")]
    public async Task Migrate_BadInput_ProblemDocumentNothingStarted(string path, HttpStatusCode expected, string type)
    {
        var before = await fixture.BucketFingerprintAsync();

        using var response = await MigrateAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.EndsWith(type, problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.BucketFingerprintAsync());
    }

    [Fact]
    public async Task Write_110WithoutRequiredCurrency_422SchemaViolationNothingWritten()
    {
        var before = await fixture.BucketFingerprintAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("api/dev/ventures/VX-1", UriKind.Relative))
        {
            Content = DevHostFixture.Json("""{"schema_version":"1.1.0","title":"X","lead":"Bob","status":"Idea"}"""),
        };

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("reportingCurrency", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.BucketFingerprintAsync());
    }

    private async Task<HttpResponseMessage> MigrateAsync(string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative));
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await fixture.Http.SendAsync(request);
    }

    private async Task WriteAsync(HttpMethod method, string path, string body, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = DevHostFixture.Json(body, mediaType) };
        using var accepted = await fixture.Http.SendAsync(request);
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        var status = await fixture.WaitForCompletionAsync(accepted.Headers.Location!);
        Assert.True(status["runtimeStatus"]!.GetValue<string>() == "Completed", status.ToJsonString());
    }
}
