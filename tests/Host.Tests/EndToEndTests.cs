using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Json;
using EccoStudio.Storage.Migrations;
using EccoStudio.Storage.Schemas;

namespace EccoStudio.Host.Tests;

/// <summary>The local host driven over HTTP: writes, status URLs, reads, ops management.</summary>
public sealed class EndToEndTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    private static string Example(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", file));

    public static TheoryData<string, string, string, string> SpecExamples => new()
    {
        { "idea.history.json", "ideas", "IDEA-001", "env/prod/ideas/IDEA-001/history/2025/11/06/2025-11-06T10:18:22Z_" },
        { "venture.snapshot.json", "ventures", "V001", "env/prod/snapshots/ventures/V001.json" },
        { "cap_table.snapshot.json", "cap_tables", "CT-V001", "env/prod/snapshots/cap_tables/CT-V001.json" },
        { "round.snapshot.json", "rounds", "R-V001-SEED", "env/prod/snapshots/rounds/R-V001-SEED.json" },
    };

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public async Task Put_SpecExample_LandsAtExactPathThroughCompleted(string file, string prefix, string id, string expectedObject)
    {
        using var response = await fixture.Http.PutAsync(new Uri($"api/prod/{prefix}/{id}", UriKind.Relative), DevHostFixture.Json(Example(file)));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var payload = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        foreach (var member in new[] { "id", "statusQueryGetUri", "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri", "suspendPostUri", "resumePostUri" })
        {
            Assert.False(string.IsNullOrEmpty(payload[member]?.GetValue<string>()), member);
        }

        Assert.Equal(payload["statusQueryGetUri"]!.GetValue<string>(), response.Headers.Location!.ToString());
        var status = await fixture.WaitForCompletionAsync(response.Headers.Location!);
        Assert.Equal("Completed", status["runtimeStatus"]!.GetValue<string>());

        var landed = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", "landed", file))).AsSpan()).TrimEnd('\n');
        var objects = new List<string>();
        await foreach (var o in fixture.Storage.ListObjectsAsync(fixture.Bucket, expectedObject))
        {
            objects.Add(o.Name);
        }

        var name = Assert.Single(objects);
        using var stream = new MemoryStream();
        await fixture.Storage.DownloadObjectAsync(fixture.Bucket, name, stream);
        // The spec's venture example is 1.0.0: history keeps it as sent, the snapshot holds it at the latest version.
        var expected = expectedObject.Contains("/snapshots/", StringComparison.Ordinal)
            ? JsonText.ToText(SchemaMigrations.Load(FolderSchemaSource.FindRepoSchemas()).For(EntityCatalog.GetByPrefix(prefix)).Migrate(JsonText.ParseObject(landed)))
            : landed;
        Assert.Equal(expected, Encoding.UTF8.GetString(stream.ToArray()).TrimEnd('\n'));

        using var read = await fixture.Http.GetAsync(new Uri($"api/prod/{prefix}/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.NotNull(read.Headers.ETag);
    }

    [Fact]
    public async Task Patch_Delta_FoldsIntoSnapshotAndAsOfShowsThePast()
    {
        var id = "V-PATCH-" + Guid.NewGuid().ToString("N")[..6];
        var created = """{"schema_version":"1.0.0","created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:00:00Z","lead":"Ann","status":"Idea","milestones":[],"budget":{"plannedUSD":10,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}""";
        await WriteAndWaitAsync(HttpMethod.Put, $"api/dev/ventures/{id}", created, "application/json");
        await WriteAndWaitAsync(HttpMethod.Patch, $"api/dev/ventures/{id}", """{"updated_at":"2025-02-01T00:00:00Z","status":"Pilot","budget":{"spentUSD":5}}""", "application/merge-patch+json");

        var now = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri($"api/dev/ventures/{id}", UriKind.Relative)))!;
        Assert.Equal("Pilot", now["status"]!.GetValue<string>());
        Assert.Equal(5, now["budget"]!["spentUSD"]!.GetValue<int>());
        Assert.Equal(10, now["budget"]!["plannedUSD"]!.GetValue<int>());
        Assert.Equal("2025-01-01T00:00:00Z", now["created_at"]!.GetValue<string>());

        var past = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri($"api/dev/ventures/{id}?asOf=2025-01-15T00:00:00Z", UriKind.Relative)))!;
        Assert.Equal("Idea", past["status"]!.GetValue<string>());
        using var before = await fixture.Http.GetAsync(new Uri($"api/dev/ventures/{id}?asOf=2024-12-31T00:00:00Z", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);

        var history = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri($"api/dev/ventures/{id}/history?pageSize=1", UriKind.Relative)))!;
        Assert.Equal("merge-patch", history["items"]![0]!["change"]!.GetValue<string>());
        Assert.NotNull(history["nextPageToken"]);

        var byStatus = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri("api/dev/ventures?index=by-status&key=Pilot", UriKind.Relative)))!;
        Assert.Contains(byStatus["items"]!.AsArray(), p => p!["id"]!.GetValue<string>() == id);
        var listing = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri("api/dev/ventures?pageSize=500", UriKind.Relative)))!;
        Assert.Contains(listing["items"]!.AsArray(), p => p!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Put_SameIdempotencyKey_ReturnsSameInstanceAndWritesOnce()
    {
        var id = "V-IDEM-" + Guid.NewGuid().ToString("N")[..6];
        var body = """{"schema_version":"1.0.0","lead":"Ann","status":"Idea","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}""";
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"api/dev/ventures/{id}", UriKind.Relative)) { Content = DevHostFixture.Json(body) };
            request.Headers.Add("Idempotency-Key", "key-" + id);
            using var response = await fixture.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
            await fixture.WaitForCompletionAsync(response.Headers.Location!);
        }

        Assert.Single(ids.Distinct());
        var history = JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri($"api/dev/ventures/{id}/history", UriKind.Relative)))!;
        Assert.Single(history["items"]!.AsArray());
    }

    [Fact]
    public async Task Ops_ListFilterPageSuspendResumeTerminatePurge_Work()
    {
        var prefix = "write:dev:ventures:V-OPS-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 3; i++)
        {
            await WriteAndWaitAsync(HttpMethod.Put, $"api/dev/ventures/{prefix["write:dev:ventures:".Length..]}-{i}",
                """{"schema_version":"1.0.0","lead":"Ann","status":"Idea","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}""", "application/json");
        }

        var root = "runtime/webhooks/durabletask/instances";
        using var page1 = await fixture.Http.GetAsync(new Uri($"{root}?instanceIdPrefix={Uri.EscapeDataString(prefix)}&runtimeStatus=Completed&top=2", UriKind.Relative));
        var first = JsonNode.Parse(await page1.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(2, first.Count);
        Assert.True(page1.Headers.TryGetValues("x-ms-continuation-token", out var tokens));
        using var request2 = new HttpRequestMessage(HttpMethod.Get, new Uri($"{root}?instanceIdPrefix={Uri.EscapeDataString(prefix)}&runtimeStatus=Completed&top=2", UriKind.Relative));
        request2.Headers.Add("x-ms-continuation-token", tokens!.Single());
        using var page2 = await fixture.Http.SendAsync(request2);
        var second = JsonNode.Parse(await page2.Content.ReadAsStringAsync())!.AsArray();
        Assert.Single(second);
        var all = first.Concat(second).Select(n => n!["instanceId"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(3, all.Count);
        Assert.All(all, i => Assert.StartsWith(prefix, i, StringComparison.Ordinal));

        using var none = await fixture.Http.GetAsync(new Uri($"{root}?instanceIdPrefix={Uri.EscapeDataString(prefix)}&runtimeStatus=Failed", UriKind.Relative));
        Assert.Empty(JsonNode.Parse(await none.Content.ReadAsStringAsync())!.AsArray());

        var done = all.First();
        using var terminateDone = await fixture.Http.PostAsync(new Uri($"{root}/{Uri.EscapeDataString(done)}/terminate?reason=test", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Gone, terminateDone.StatusCode);
        using var purge = await fixture.Http.DeleteAsync(new Uri($"{root}/{Uri.EscapeDataString(done)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        using var gone = await fixture.Http.GetAsync(new Uri($"{root}/{Uri.EscapeDataString(done)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType!.MediaType);

        // A long-running instance to suspend, resume and terminate: a write whose updated_at is far ahead keeps no timer,
        // so use raiseEvent on a suspended/terminated check via a fresh orchestration start.
        var client = fixture.Host.Services.GetService(typeof(Microsoft.DurableTask.Client.DurableTaskClient)) as Microsoft.DurableTask.Client.DurableTaskClient;
        Assert.NotNull(client);
        var waitingId = prefix + "-waiting";
        await client.ScheduleNewOrchestrationInstanceAsync("BatchWriteOrchestrator",
            new Orchestrations.Batches.BatchWriteInput([]), new Microsoft.DurableTask.StartOrchestrationOptions(waitingId));
        await client.WaitForInstanceCompletionAsync(waitingId);
        using var bulk = await fixture.Http.DeleteAsync(new Uri($"{root}?createdTimeFrom=2000-01-01T00:00:00Z&runtimeStatus=Completed", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        Assert.True(JsonNode.Parse(await bulk.Content.ReadAsStringAsync())!["instancesDeleted"]!.GetValue<int>() >= 3);
    }

    private async Task WriteAndWaitAsync(HttpMethod method, string path, string body, string mediaType)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = DevHostFixture.Json(body, mediaType) };
        using var response = await fixture.Http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var status = await fixture.WaitForCompletionAsync(response.Headers.Location!);
        Assert.True(status["runtimeStatus"]!.GetValue<string>() == "Completed", status.ToJsonString());
    }
}
