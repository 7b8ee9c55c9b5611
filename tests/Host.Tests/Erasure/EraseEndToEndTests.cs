using System.Net;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;

namespace EccoStudio.Host.Tests.Erasure;

/// <summary>
/// <c>POST /api/ops/erase/{env}/{entity}/{id}</c> on the local host over HTTP: EraseEntityOrchestrator end to end
/// (issue 13 item 3). Emulator faults are class-wide: tests here run one at a time.
/// </summary>
public sealed class EraseEndToEndTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    private static string Talent(string name, string location, string skill) =>
        $$"""{"schema_version":"1.0.0","name":"{{name}}","location":"{{location}}","skills":["{{skill}}"]}""";

    [Fact]
    public async Task Erase_TalentWithVersions_202ThenEveryVersionGoneRecordCompletedAndNothingPersonal()
    {
        await WriteAsync(HttpMethod.Put, "api/dev/talent/TE-1", Talent("Ada Lovelace", "London", "rust"));
        await WriteAsync(HttpMethod.Patch, "api/dev/talent/TE-1", """{"location":"Paris"}""", "application/merge-patch+json");
        await WriteAsync(HttpMethod.Patch, "api/dev/talent/TE-1", """{"skills":["rust","go"]}""", "application/merge-patch+json");
        await WriteAsync(HttpMethod.Put, "api/dev/talent/TE-2", Talent("Grace Hopper", "Arlington", "cobol"));
        var before = await fixture.BucketFingerprintAsync();
        Assert.True(before.Count(v => v.Contains("/TE-1", StringComparison.Ordinal)) >= 12, string.Join("\n", before)); // noncurrent versions everywhere
        var others = before.Where(v => !v.Contains("/TE-1", StringComparison.Ordinal) && !v.Contains("/manifests/", StringComparison.Ordinal)).ToList();

        using var accepted = await EraseAsync("api/ops/erase/dev/talent/TE-1", """{"reason":"GDPR request 42"}""", ("x-ecco-author", "dpo@ecco"), ("Idempotency-Key", "gdpr-42"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var payload = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!.AsObject();
        Assert.StartsWith("erase:dev:talent:TE-1:k", payload["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(payload["statusQueryGetUri"]!.GetValue<string>(), accepted.Headers.Location!.ToString());
        var status = await fixture.WaitForCompletionAsync(accepted.Headers.Location!);

        Assert.True(status["runtimeStatus"]!.GetValue<string>() == "Completed", status.ToJsonString());
        var output = status["output"]!.AsObject();
        Assert.Equal(3, output["VersionsRemoved"]!["history"]!.GetValue<int>());
        Assert.True(output["TotalVersions"]!.GetValue<int>() >= 12, output.ToJsonString());
        var after = await fixture.BucketFingerprintAsync();
        Assert.DoesNotContain(after, v => v.Contains("/TE-1", StringComparison.Ordinal) && !v.Contains("/logs/erasures/", StringComparison.Ordinal));
        Assert.All(others, v => Assert.Contains(v, after)); // every version of every other object is still there
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync(new Uri("api/dev/talent/TE-1", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync(new Uri("api/dev/talent/TE-2", UriKind.Relative))).StatusCode);
        var listing = await fixture.Http.GetStringAsync(new Uri("api/dev/talent", UriKind.Relative));
        Assert.DoesNotContain("TE-1", listing, StringComparison.Ordinal);
        Assert.Contains("TE-2", listing, StringComparison.Ordinal);

        var recordName = output["Record"]!.GetValue<string>();
        Assert.StartsWith("env/dev/logs/erasures/talent/TE-1/", recordName, StringComparison.Ordinal);
        using var stream = new MemoryStream();
        await fixture.Storage.DownloadObjectAsync(fixture.Bucket, recordName, stream);
        var recordText = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        var record = JsonNode.Parse(recordText)!.AsObject();
        Assert.Equal("completed", record["state"]!.GetValue<string>());
        Assert.Equal("GDPR request 42", record["reason"]!.GetValue<string>());
        Assert.Equal("dpo@ecco", record["requested_by"]!.GetValue<string>());
        Assert.Equal(output["TotalVersions"]!.GetValue<int>(), record["total_versions_removed"]!.GetValue<int>());
        foreach (var personal in new[] { "Ada", "Lovelace", "London", "Paris", "rust", "\"go\"" })
        {
            Assert.DoesNotContain(personal, recordText, StringComparison.Ordinal);
        }

        // The same Idempotency-Key answers the same instance; nothing runs again.
        using var replay = await EraseAsync("api/ops/erase/dev/talent/TE-1", """{"reason":"GDPR request 42"}""", ("Idempotency-Key", "gdpr-42"));
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(payload["id"]!.GetValue<string>(), JsonNode.Parse(await replay.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        Assert.Equal(after, await fixture.BucketFingerprintAsync());
    }

    [Theory]
    [InlineData("api/ops/erase/dev/talent/TB-1", null, null, HttpStatusCode.UnprocessableEntity, "invalid-erasure-request")]
    [InlineData("api/ops/erase/dev/talent/TB-1", "application/json", "{}", HttpStatusCode.UnprocessableEntity, "invalid-erasure-request")]
    [InlineData("api/ops/erase/dev/talent/TB-1", "application/json", """{"reason":"  "}""", HttpStatusCode.UnprocessableEntity, "invalid-erasure-request")]
    [InlineData("api/ops/erase/dev/talent/TB-1", "application/json", """{"reason":42}""", HttpStatusCode.UnprocessableEntity, "invalid-erasure-request")]
    [InlineData("api/ops/erase/dev/talent/TB-1", "application/json", """{"reason":"x""", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("api/ops/erase/dev/talent/TB-1", "text/plain", "GDPR", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type")]
    [InlineData("api/ops/erase/dev/talent/TB-NEVER", "application/json", """{"reason":"x"}""", HttpStatusCode.NotFound, "not-found")]
    [InlineData("api/ops/erase/dev/investors/TB-1", "application/json", """{"reason":"x"}""", HttpStatusCode.NotFound, "not-found")]
    [InlineData("api/ops/erase/dev/unicorns/TB-1", "application/json", """{"reason":"x"}""", HttpStatusCode.NotFound, "unknown-entity")]
    [InlineData("api/ops/erase/qa/talent/TB-1", "application/json", """{"reason":"x"}""", HttpStatusCode.NotFound, "unknown-environment")]
    [InlineData("api/ops/erase/dev/talent/TB%23x", "application/json", """{"reason":"x"}""", HttpStatusCode.BadRequest, "invalid-identifier")]
    public async Task Erase_BadInput_ProblemDocumentNothingStartedNothingWritten(string path, string? mediaType, string? body, HttpStatusCode expected, string slug)
    {
        await WriteAsync(HttpMethod.Put, "api/dev/talent/TB-1", Talent("Alan Turing", "Manchester", "math"));
        var before = await fixture.BucketFingerprintAsync();
        var instances = await EraseInstancesAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = body is null ? null : DevHostFixture.Json(body, mediaType!),
        };
        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(slug, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.BucketFingerprintAsync());
        Assert.Equal(instances, await EraseInstancesAsync());
    }

    [Fact]
    public async Task Erase_StorageFailsMidWay_StepRetriedUntilItSucceedsAndTheErasureCompletes()
    {
        await WriteAsync(HttpMethod.Put, "api/dev/talent/TF-1", Talent("Katherine Johnson", "Hampton", "orbits"));
        await WriteAsync(HttpMethod.Patch, "api/dev/talent/TF-1", """{"location":"Houston"}""", "application/merge-patch+json");
        // Every pointer delete fails (after the store's own retries) until the orchestration has retried the step once.
        fixture.Host.Gcs.Faults.Update(new FaultSettings { Rate503 = 1.0, Method = "DELETE", ObjectPrefix = "env/dev/indices/talent/" });
        JsonObject status;
        try
        {
            using var accepted = await EraseAsync("api/ops/erase/dev/talent/TF-1", """{"reason":"request 7"}""");
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var running = JsonNode.Parse(await fixture.Http.GetStringAsync(accepted.Headers.Location!))!.AsObject();
                var custom = running["customStatus"] as JsonObject;
                if (custom?["Step"]?.GetValue<string>() == "indices" && custom["Attempt"]!.GetValue<int>() >= 2)
                {
                    Assert.True(custom["LastError"]!.GetValue<string>().Contains("ServiceUnavailable", StringComparison.Ordinal), custom.ToJsonString());
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline && running["runtimeStatus"]!.GetValue<string>() is "Running" or "Pending", running.ToJsonString());
                await Task.Delay(100);
            }

            // Mid-way: snapshot and manifest entry are gone, the pointers and history are still there.
            var midway = await fixture.BucketFingerprintAsync();
            Assert.DoesNotContain(midway, v => v.StartsWith("env/dev/snapshots/talent/TF-1.json#", StringComparison.Ordinal));
            Assert.Contains(midway, v => v.Contains("/indices/talent/", StringComparison.Ordinal) && v.Contains("/TF-1.json#", StringComparison.Ordinal));
            Assert.Contains(midway, v => v.StartsWith("env/dev/talent/TF-1/history/", StringComparison.Ordinal));
            fixture.Host.Gcs.Faults.Update(new FaultSettings());
            status = await fixture.WaitForCompletionAsync(accepted.Headers.Location!);
        }
        finally
        {
            fixture.Host.Gcs.Faults.Update(new FaultSettings());
        }

        Assert.True(status["runtimeStatus"]!.GetValue<string>() == "Completed", status.ToJsonString());
        Assert.True(status["output"]!["Attempts"]!["indices"]!.GetValue<int>() >= 2, status.ToJsonString());
        Assert.Equal(2, status["output"]!["VersionsRemoved"]!["history"]!.GetValue<int>());
        Assert.DoesNotContain(await fixture.BucketFingerprintAsync(), v => v.Contains("/TF-1", StringComparison.Ordinal) && !v.Contains("/logs/erasures/", StringComparison.Ordinal));
    }

    private async Task WriteAsync(HttpMethod method, string path, string body, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = DevHostFixture.Json(body, mediaType) };
        using var accepted = await fixture.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("Completed", (await fixture.WaitForCompletionAsync(accepted.Headers.Location!))["runtimeStatus"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> EraseAsync(string path, string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = DevHostFixture.Json(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await fixture.Http.SendAsync(request);
    }

    private async Task<int> EraseInstancesAsync() =>
        JsonNode.Parse(await fixture.Http.GetStringAsync(new Uri("runtime/webhooks/durabletask/instances?instanceIdPrefix=erase:&top=1000", UriKind.Relative)))!.AsArray().Count;
}
