using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Reliability.Tests.Support;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace EccoStudio.Reliability.Tests;

/// <summary>
/// Issue 16, "a planted secret and a planted email absent from every output of the scripted run": the local host runs
/// with a webhook whose URL carries a secret, an API key, a talent with an email and an investor with a name; a script
/// writes (PUT, PATCH, a batch, a write that fails and is compensated under emulator faults, a rule firing an alert to
/// a local receiver, a DELETE, a few refused requests); then every captured log line, every instance's status, custom
/// status, input, output and history events (management API), every activity input, result and failure as the engine
/// serializes them, every object under <c>env/dev/logs/</c> and every problem document is scanned. The secret and the
/// key appear nowhere; the email and the name only where they belong (history and snapshot objects, which are not
/// scanned, and the alert the receiver got). docs/security.md "Personal data and the engine".
/// </summary>
public sealed class SecretScanTests(ITestOutputHelper output)
{
    private const string WebhookSecret = "Pl4ntedWebhookSecret9Qx";
    private const string ApiKey = "pl4nted-api-key-R4mW9xZ";
    private const string Email = "planted.person@example.test";
    private const string InvestorName = "Plantedina Investorsdottir";
    private const string Root = "runtime/webhooks/durabletask/instances";

    private static string Talent(string id, string location, string availability = "AVAILABLE") => $$"""
        {"schema_version":"1.0.0","name":"Scan Talent {{id}}","email":"{{Email}}","skills":["go","sql"],"location":"{{location}}","availability":"{{availability}}"}
        """;

    [Fact]
    public async Task ScriptedRun_PlantedSecretAndPersonalData_AppearOnlyWhereTheyBelong()
    {
        await using var receiver = new WebhookReceiver();
        var tap = new ActivityTap();
        await using var host = await LocalHost.StartAsync(apiKey: ApiKey, configuration: new Dictionary<string, string?>
        {
            ["Ecco:Alerts:Webhooks:scan-hook"] = $"http://127.0.0.1:{receiver.Port}/services/T0/B0/{WebhookSecret}",
            ["Ecco:Alerts:AllowLoopbackHttp"] = "true",
            ["Ecco:WritePath:Retry:MaxAttempts"] = "2",
            ["Ecco:WritePath:Retry:FirstRetryInterval"] = "00:00:00.100",
            ["Ecco:WritePath:Retry:MaxRetryInterval"] = "00:00:00.500",
        }, configureServices: services => services.AddSingleton<ActivityDecorator>(tap.Decorator));
        host.Http.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        var problems = new List<string>();
        var instances = new List<string>();

        async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? body = null, string mediaType = "application/json",
            params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = LocalHost.Json(body, mediaType);
            }

            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            var response = await host.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 400)
            {
                problems.Add($"{method} {path} -> {(int)response.StatusCode} {text}");
            }
            else if (response.StatusCode == HttpStatusCode.Accepted)
            {
                instances.Add(JsonNode.Parse(text)!["id"]!.GetValue<string>());
            }

            return response;
        }

        async Task<string> Done(HttpStatusCode expectedStart, HttpResponseMessage response, OrchestrationRuntimeStatus expected)
        {
            Assert.Equal(expectedStart, response.StatusCode);
            var id = instances[^1];
            var state = (await Instances.WaitAllAsync(host.Client, [id], TimeSpan.FromMinutes(2)))[id];
            Assert.True(state?.RuntimeStatus == expected, $"{id}: {state?.RuntimeStatus} {state?.FailureDetails?.ErrorMessage}");
            return id;
        }

        // The script.
        await Done(HttpStatusCode.Accepted, await Send(HttpMethod.Put, "api/dev/rules/R-SCAN", """
            {"schema_version":"1.0.0","name":"talent watch","target_entity":"talent","enabled":true,"condition":{"pointer":"/id","op":"exists"},"action":{"type":"slack","webhook":"scan-hook","template":"{{/id}} changed, contact {{/email}}"}}
            """), OrchestrationRuntimeStatus.Completed);
        await Done(HttpStatusCode.Accepted, await Send(HttpMethod.Put, "api/dev/talent/T-SCAN", Talent("T-SCAN", "Berlin")), OrchestrationRuntimeStatus.Completed);
        await Done(HttpStatusCode.Accepted, await Send(HttpMethod.Patch, "api/dev/talent/T-SCAN", """{"availability":"PARTIAL"}""", "application/merge-patch+json"),
            OrchestrationRuntimeStatus.Completed);
        await Done(HttpStatusCode.Accepted, await Send(HttpMethod.Put, "api/dev/investors/I-SCAN",
            $$"""{"schema_version":"1.0.0","name":"{{InvestorName}}","kind":"ANGEL","stage":"PROSPECT","owner":"scan-owner"}"""), OrchestrationRuntimeStatus.Completed);
        await Done(HttpStatusCode.Accepted, await Send(HttpMethod.Post, "api/dev/talent:batch",
            $$$"""[{"id":"T-SCAN2","document":{{{Talent("T-SCAN2", "Lisbon")}}}},{"id":"T-SCAN","patch":{"skills":["go","sql","rust"]}}]"""),
            OrchestrationRuntimeStatus.Completed);

        // A write that fails for good at its index step (every pointer read refused) and is compensated.
        host.Host.Gcs.Faults.Update(new FaultSettings { Rate503 = 1.0, ObjectPrefix = "env/dev/indices/talent/" });
        try
        {
            await Done(HttpStatusCode.Accepted, await Send(HttpMethod.Patch, "api/dev/talent/T-SCAN", """{"location":"Porto"}""", "application/merge-patch+json"),
                OrchestrationRuntimeStatus.Failed);
        }
        finally
        {
            host.Host.Gcs.Faults.Update(new FaultSettings());
        }

        await Done(HttpStatusCode.Accepted, await Send(HttpMethod.Delete, "api/dev/investors/I-SCAN"), OrchestrationRuntimeStatus.Completed);

        // Refused requests: their problem documents are scanned too.
        (await Send(HttpMethod.Put, "api/dev/talent/T-BAD", Talent("T-BAD", "Oslo").Replace("[\"go\",\"sql\"]", "\"go\"", StringComparison.Ordinal))).Dispose();
        (await Send(HttpMethod.Patch, "api/dev/talent/T-SCAN", """{"availability":"UNAVAILABLE"}""", "application/merge-patch+json", ("If-Match", "\"1\""))).Dispose();
        (await Send(HttpMethod.Get, "api/dev/investors/I-SCAN")).Dispose();
        Assert.Equal(3, problems.Count);

        // Every instance of the run (sub-orchestrations and reconciles included) settles before the scan.
        var all = await ListInstancesAsync(host);
        await Instances.WaitAllAsync(host.Client, all, TimeSpan.FromMinutes(2));

        // What is scanned.
        var corpus = new List<(string Where, string Text)>();
        corpus.AddRange(host.Logs.Lines.Select(l => ("log", l)));
        corpus.AddRange(tap.Records.Select(r => ("activity", r)));
        corpus.AddRange(problems.Select(p => ("problem", p)));
        var historyShown = 0;
        foreach (var id in all)
        {
            using var status = await host.Http.GetAsync(new Uri($"{Root}/{Uri.EscapeDataString(id)}?showHistory=true&showHistoryOutput=true&showInput=true", UriKind.Relative));
            var text = await status.Content.ReadAsStringAsync();
            Assert.True(status.IsSuccessStatusCode, $"{id}: {(int)status.StatusCode} {text}");
            historyShown += JsonNode.Parse(text)?["historyEvents"] is JsonArray { Count: > 0 } ? 1 : 0;
            corpus.Add(("instance " + id, text));
        }

        using (var list = await host.Http.GetAsync(new Uri($"{Root}?showInput=true&top=1000", UriKind.Relative)))
        {
            corpus.Add(("instance list", await list.Content.ReadAsStringAsync()));
        }

        var records = await host.Storage.Store.ListAllAsync(host.Bucket, "env/dev/logs/");
        foreach (var record in records)
        {
            var stored = await host.Storage.Store.GetAsync(host.Bucket, record.Name);
            corpus.Add((record.Name, Encoding.UTF8.GetString(stored!.Content.Span)));
        }

        // The run did what it should, and the corpus covers it.
        Assert.Contains(records, r => r.Name.StartsWith("env/dev/logs/alerts/", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Name.StartsWith("env/dev/logs/ops/", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Contains("T-SCAN", StringComparison.Ordinal));
        Assert.Contains(receiver.Requests, r => r.Body.Contains(Email, StringComparison.Ordinal) && r.Body.Contains("T-SCAN", StringComparison.Ordinal));
        Assert.Contains(tap.Records, r => r.StartsWith("ApplySnapshotActivity result", StringComparison.Ordinal));
        Assert.Contains(tap.Records, r => r.StartsWith("AppendCompensationActivity input", StringComparison.Ordinal));
        Assert.Contains(corpus, c => c.Where.StartsWith("instance ", StringComparison.Ordinal) && c.Text.Contains("T-SCAN", StringComparison.Ordinal));
        var snapshot = await host.Storage.Store.GetAsync(host.Bucket, "env/dev/snapshots/talent/T-SCAN.json");
        Assert.Contains(Email, Encoding.UTF8.GetString(snapshot!.Content.Span), StringComparison.Ordinal);
        output.WriteLine($"scanned {corpus.Count} texts: {host.Logs.Lines.Count} log lines, {tap.Records.Count} activity records, {all.Count} instances " +
            $"({historyShown} with history events), {records.Count} log objects, {problems.Count} problem documents");

        // The scan.
        var planted = new[] { WebhookSecret, ApiKey, Email, InvestorName, "planted.person%40example.test" };
        var leaks = corpus
            .SelectMany(c => planted.Where(p => c.Text.Contains(p, StringComparison.OrdinalIgnoreCase)).Select(p => (c.Where, Planted: p, Text: c.Text)))
            .ToList();
        var bySource = string.Join(", ", leaks.GroupBy(l => l.Where.Split(' ')[0]).Select(g => $"{g.Key}: {g.Count()}"));
        Assert.True(leaks.Count == 0,
            $"{leaks.Count} leak(s) ({bySource}):\n{string.Join("\n", leaks.Take(25).Select(l => $"{l.Planted} in {l.Where}: {Excerpt(l.Text, l.Planted)}"))}");

        // Staged copies are gone once their writes ended.
        Assert.Empty(await host.Storage.Store.ListAllAsync(host.Bucket, "env/dev/tmp/writes/"));
        Assert.Empty(await host.Storage.Store.ListAllAsync(host.Bucket, "env/dev/tmp/alerts/"));
    }

    private static async Task<IReadOnlyList<string>> ListInstancesAsync(LocalHost host)
    {
        var ids = new List<string>();
        await foreach (var instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 500 }))
        {
            ids.Add(instance.InstanceId);
        }

        return ids;
    }

    private static string Excerpt(string text, string planted)
    {
        var at = text.IndexOf(planted, StringComparison.OrdinalIgnoreCase);
        var start = Math.Max(0, at - 160);
        return text[start..Math.Min(text.Length, at + planted.Length + 80)].ReplaceLineEndings(" ");
    }
}
