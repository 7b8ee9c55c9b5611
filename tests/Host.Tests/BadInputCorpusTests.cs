using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace EccoStudio.Host.Tests;

/// <summary>
/// Bad input, data-driven: every request gets a 4xx RFC 9457 problem document and the bucket is unchanged
/// (every object version listed before and after).
/// </summary>
public sealed class BadInputCorpusTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    private const string Json = "application/json";
    private const string Patch = "application/merge-patch+json";

    private const string Valid = """{"schema_version":"1.0.0","lead":"Ann","status":"Idea","milestones":[],"budget":{"plannedUSD":1,"spentUSD":0},"kpis":{"MRR":0,"userCount":0,"churnRate":0}}""";

    private static string With(string member, string json) =>
        Valid.Replace("\"lead\":\"Ann\"", $"\"lead\":\"Ann\",{member}:{json}", StringComparison.Ordinal);

    private static string Without(string member) =>
        JsonNode.Parse(Valid)!.AsObject() is var o && o.Remove(member) ? o.ToJsonString() : Valid;

    public static TheoryData<string, string, string, string?, string?> Corpus()
    {
        var data = new TheoryData<string, string, string, string?, string?>();
        void Add(string name, string method, string path, string? body, string? type = Json) => data.Add(name, method, path, body, type);

        // malformed JSON
        Add("truncated", "PUT", "api/dev/ventures/V1", "{\"schema_version\":");
        Add("trailing comma", "PUT", "api/dev/ventures/V1", "{\"a\":1,}");
        Add("single quotes", "PUT", "api/dev/ventures/V1", "{'a':1}");
        Add("not json", "PUT", "api/dev/ventures/V1", "hello");
        Add("duplicate keys", "PUT", "api/dev/ventures/V1", "{\"schema_version\":\"1.0.0\",\"status\":\"Idea\",\"status\":\"Pilot\"}");
        Add("duplicate keys nested", "PUT", "api/dev/ventures/V1", "{\"schema_version\":\"1.0.0\",\"kpis\":{\"MRR\":1,\"MRR\":2}}");
        Add("duplicate keys patch", "PATCH", "api/dev/ventures/V1", "{\"status\":\"Idea\",\"status\":null}", Patch);
        Add("hangul filler id", "PUT", "api/dev/ventures/V1\u3164", Valid);
        Add("empty body", "PUT", "api/dev/ventures/V1", "");
        Add("array body", "PUT", "api/dev/ventures/V1", "[1,2]");
        Add("string body", "PUT", "api/dev/ventures/V1", "\"x\"");
        Add("null body", "PUT", "api/dev/ventures/V1", "null");
        Add("number body", "PUT", "api/dev/ventures/V1", "42");
        Add("deeply nested", "PUT", "api/dev/ventures/V1", new string('[', 200) + new string(']', 200));
        Add("deep object", "PUT", "api/dev/ventures/V1", string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100));
        Add("invalid utf8 escape", "PUT", "api/dev/ventures/V1", "{\"a\":\"\\uZZZZ\"}");
        Add("patch malformed", "PATCH", "api/dev/ventures/V1", "{", Patch);
        // schema violations
        Add("missing status", "PUT", "api/dev/ventures/V1", Without("status"));
        Add("status null", "PUT", "api/dev/ventures/V1", Valid.Replace("\"status\":\"Idea\"", "\"status\":null", StringComparison.Ordinal));
        Add("budget null", "PUT", "api/dev/ventures/V1", Valid.Replace("{\"plannedUSD\":1,\"spentUSD\":0}", "null", StringComparison.Ordinal));
        Add("kpis string", "PUT", "api/dev/ventures/V1", Valid.Replace("{\"MRR\":0,\"userCount\":0,\"churnRate\":0}", "\"many\"", StringComparison.Ordinal));
        Add("milestones number", "PUT", "api/dev/ventures/V1", Valid.Replace("\"milestones\":[]", "\"milestones\":3", StringComparison.Ordinal));
        Add("missing schema_version", "PUT", "api/dev/ventures/V1", Without("schema_version"));
        Add("lead number", "PUT", "api/dev/ventures/V1", Valid.Replace("\"lead\":\"Ann\"", "\"lead\":5", StringComparison.Ordinal));
        Add("status bogus", "PUT", "api/dev/ventures/V1", Valid.Replace("\"status\":\"Idea\"", "\"status\":\"Bogus\"", StringComparison.Ordinal));
        Add("budget string", "PUT", "api/dev/ventures/V1", Valid.Replace("{\"plannedUSD\":1,\"spentUSD\":0}", "\"lots\"", StringComparison.Ordinal));
        Add("plannedUSD string", "PUT", "api/dev/ventures/V1", Valid.Replace("\"plannedUSD\":1", "\"plannedUSD\":\"1\"", StringComparison.Ordinal));
        Add("milestones object", "PUT", "api/dev/ventures/V1", Valid.Replace("\"milestones\":[]", "\"milestones\":{}", StringComparison.Ordinal));
        Add("milestone bad", "PUT", "api/dev/ventures/V1", Valid.Replace("\"milestones\":[]", "\"milestones\":[{\"title\":5}]", StringComparison.Ordinal));
        Add("kpis array", "PUT", "api/dev/ventures/V1", Valid.Replace("{\"MRR\":0,\"userCount\":0,\"churnRate\":0}", "[]", StringComparison.Ordinal));
        Add("unknown schema version", "PUT", "api/dev/ventures/V1", Valid.Replace("1.0.0", "9.9.9", StringComparison.Ordinal));
        Add("schema version garbage", "PUT", "api/dev/ventures/V1", Valid.Replace("1.0.0", "latest", StringComparison.Ordinal));
        Add("cap table wrong types", "PUT", "api/dev/cap_tables/CT1", """{"schema_version":"1.0.0","ventureId":5,"asOf":"2025-11-01","holders":"none"}""");
        Add("cap table missing holders", "PUT", "api/dev/cap_tables/CT1", """{"schema_version":"1.0.0","ventureId":"V1","asOf":"2025-11-01"}""");
        Add("round bad", "PUT", "api/dev/rounds/R1", """{"schema_version":"1.0.0","ventureId":"V1","stage":7}""");
        Add("patch on missing entity", "PATCH", "api/dev/ventures/V-NOPE", """{"status":"Pilot"}""", Patch);
        Add("patch schema violation", "PATCH", "api/dev/ventures/V-NOPE", """{"schema_version":"1.0.0","lead":5}""", Patch);
        // envelope
        Add("wrong id in body", "PUT", "api/dev/ventures/V1", With("\"id\"", "\"V2\""));
        Add("wrong env in body", "PUT", "api/dev/ventures/V1", With("\"env\"", "\"prod\""));
        Add("wrong entity in body", "PUT", "api/dev/ventures/V1", With("\"entity\"", "\"idea\""));
        Add("unknown entity in body", "PUT", "api/dev/ventures/V1", With("\"entity\"", "\"spaceship\""));
        Add("id number in body", "PUT", "api/dev/ventures/V1", With("\"id\"", "1"));
        Add("updated_at not rfc3339", "PUT", "api/dev/ventures/V1", With("\"updated_at\"", "\"yesterday\""));
        Add("updated_at offset", "PUT", "api/dev/ventures/V1", With("\"updated_at\"", "\"2025-01-01T00:00:00+02:00\""));
        Add("created after updated", "PUT", "api/dev/ventures/V1", With("\"created_at\":\"2025-02-01T00:00:00Z\",\"updated_at\"", "\"2025-01-01T00:00:00Z\""));
        // ids, env, entity, routes
        Add("traversal id", "PUT", "api/dev/ventures/..%2F..%2Fsnapshots", Valid);
        Add("dotdot id", "PUT", "api/dev/ventures/..", Valid);
        Add("inner dotdot id", "GET", "api/dev/ventures/a..b", null, null);
        Add("encoded slash id", "PUT", "api/dev/ventures/a%2Fb", Valid);
        Add("backslash id", "PUT", "api/dev/ventures/a%5Cb", Valid);
        Add("control char id", "PUT", "api/dev/ventures/a%01b", Valid);
        Add("control id", "PUT", "api/dev/ventures/a%0Ab", Valid);
        Add("hash id", "PUT", "api/dev/ventures/a%23b", Valid);
        Add("star id", "PUT", "api/dev/ventures/a*b", Valid);
        Add("double space id", "PUT", "api/dev/ventures/a%20%20b", Valid);
        Add("leading space id", "PUT", "api/dev/ventures/%20a", Valid);
        Add("too long id", "PUT", "api/dev/ventures/" + new string('a', 129), Valid);
        Add("unknown env", "PUT", "api/qa/ventures/V1", Valid);
        Add("unserved env", "PUT", "api/stg/ventures/V1", Valid);
        Add("unknown entity", "PUT", "api/dev/spaceships/V1", Valid);
        Add("envelope name not prefix", "PUT", "api/dev/venture/V1", Valid);
        Add("unknown env read", "GET", "api/qa/ventures/V1", null, null);
        Add("unknown entity list", "GET", "api/dev/spaceships", null, null);
        Add("missing snapshot", "GET", "api/dev/ventures/V-MISSING-1", null, null);
        Add("bad asOf", "GET", "api/dev/ventures/V1?asOf=yesterday", null, null);
        Add("index without key", "GET", "api/dev/ventures?index=by-status", null, null);
        Add("unknown index", "GET", "api/dev/ventures?index=by-mood&key=x", null, null);
        Add("bad index key", "GET", "api/dev/ventures?index=by-status&key=..", null, null);
        Add("bad page size", "GET", "api/dev/ventures?pageSize=0", null, null);
        Add("huge page size", "GET", "api/dev/ventures?pageSize=100000", null, null);
        Add("bad page token", "GET", "api/dev/ventures/V1/history?pageToken=abc", null, null);
        Add("no such route", "GET", "api/dev", null, null);
        Add("post entity", "POST", "api/dev/ventures/V1", Valid);
        // media types and sizes
        Add("no content type", "PUT", "api/dev/ventures/V1", Valid, null);
        Add("text plain", "PUT", "api/dev/ventures/V1", Valid, "text/plain");
        Add("form", "PUT", "api/dev/ventures/V1", "a=b", "application/x-www-form-urlencoded");
        Add("xml", "PUT", "api/dev/ventures/V1", "<a/>", "application/xml");
        Add("patch as json", "PATCH", "api/dev/ventures/V1", """{"status":"Pilot"}""", Json);
        Add("put as merge patch", "PUT", "api/dev/ventures/V1", Valid, Patch);
        Add("latin1 charset", "PUT", "api/dev/ventures/V1", Valid, "application/json; charset=iso-8859-1");
        Add("huge body", "PUT", "api/dev/ventures/V1", "{\"x\":\"" + new string('a', 2 * 1024 * 1024) + "\"}");
        // forged pushes (verification off here: the envelope itself is checked)
        Add("push not json", "POST", "api/pubsub/gcs-events", "nope");
        Add("push no message", "POST", "api/pubsub/gcs-events", """{"subscription":"s"}""");
        Add("push message not object", "POST", "api/pubsub/gcs-events", """{"message":"x"}""");
        Add("push no message id", "POST", "api/pubsub/gcs-events", """{"message":{"attributes":{"objectId":"env/dev/x","bucketId":"b"}}}""");
        Add("push bad base64", "POST", "api/pubsub/gcs-events", """{"message":{"messageId":"1","data":"!!!"}}""");
        Add("push data number", "POST", "api/pubsub/gcs-events", """{"message":{"messageId":"1","data":5}}""");
        Add("push no object", "POST", "api/pubsub/gcs-events", """{"message":{"messageId":"1","attributes":{"bucketId":"b"}}}""");
        Add("push bad generation", "POST", "api/pubsub/gcs-events", """{"message":{"messageId":"1","attributes":{"bucketId":"b","objectId":"o","objectGeneration":"x"}}}""");
        Add("push attributes array", "POST", "api/pubsub/gcs-events", """{"message":{"messageId":"1","attributes":[]}}""");
        // ops
        Add("ops unknown instance", "GET", "runtime/webhooks/durabletask/instances/nope-" + Guid.NewGuid().ToString("N"), null, null);
        Add("ops bad status filter", "GET", "runtime/webhooks/durabletask/instances?runtimeStatus=Sleeping", null, null);
        Add("ops bad top", "GET", "runtime/webhooks/durabletask/instances?top=0", null, null);
        Add("ops bad time", "GET", "runtime/webhooks/durabletask/instances?createdTimeFrom=soon", null, null);
        Add("ops terminate unknown", "POST", "runtime/webhooks/durabletask/instances/nope/terminate", null, null);
        Add("ops purge unknown", "DELETE", "runtime/webhooks/durabletask/instances/nope-" + Guid.NewGuid().ToString("N"), null, null);
        Add("ops bulk purge without from", "DELETE", "runtime/webhooks/durabletask/instances?runtimeStatus=Completed", null, null);
        return data;
    }

    [Fact]
    public void Corpus_HasAtLeastSixtyCases() => Assert.True(Corpus().Count >= 60, $"corpus has {Corpus().Count} cases");

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Request_BadInput_Gets4xxProblemAndBucketUnchanged(string name, string method, string path, string? body, string? mediaType)
    {
        var before = await fixture.BucketFingerprintAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (mediaType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
            }
        }

        using var response = await fixture.Http.SendAsync(request);
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{name}: got {status}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.StartsWith("urn:ecco-studio:problem:", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));

        // Give anything wrongly scheduled a moment to land, then compare every object version.
        await Task.Delay(50);
        Assert.Equal(before, await fixture.BucketFingerprintAsync());
    }

    [Fact]
    public async Task Put_SchemaViolation_ProblemCarriesJsonPointers()
    {
        using var response = await fixture.Http.PutAsync(new Uri("api/dev/ventures/V1", UriKind.Relative),
            DevHostFixture.Json(Valid.Replace("\"plannedUSD\":1", "\"plannedUSD\":\"1\"", StringComparison.Ordinal)));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(422, (int)response.StatusCode);
        Assert.Contains(problem["errors"]!.AsArray(), e => e!["pointer"]!.GetValue<string>() == "/budget/plannedUSD");
    }
}
