using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using EccoStudio.Reliability.Tests.Support;
using Microsoft.DurableTask.Client;
using Xunit.Abstractions;

namespace EccoStudio.Reliability.Tests;

/// <summary>
/// A seeded fuzz run over every route of the local host (see <see cref="HttpFuzzer"/>): no request may answer 5xx (except
/// the documented 501 for a rewind the engine cannot do),
/// and a refused request (4xx) may not change the bucket (the emulator's committed-mutation count is the same before
/// and after it, with no orchestration running). Requests are sent one at a time; after an accepted one the run waits
/// until no orchestration is running, so each refused request is checked on a quiet bucket.
/// Defaults (CI): seed 20261202, 10,000 requests, 8 minutes at most. Override with ECCO_FUZZ_SEED, ECCO_FUZZ_COUNT,
/// ECCO_FUZZ_SECONDS.
/// </summary>
public sealed class HttpFuzzTests(ITestOutputHelper output)
{
    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    [Fact]
    public async Task Fuzz_SeededRequestsOverEveryRoute_NoServerErrorAndRefusedRequestsChangeNothing()
    {
        var seed = Setting("ECCO_FUZZ_SEED", 20261202);
        var count = Setting("ECCO_FUZZ_COUNT", 10_000);
        var budget = TimeSpan.FromSeconds(Setting("ECCO_FUZZ_SECONDS", 480));
        await using var host = await LocalHost.StartAsync();
        var store = host.Host.Gcs.Store;
        var fuzzer = new HttpFuzzer(seed);
        var statuses = new SortedDictionary<int, int>();
        var serverErrors = new List<string>();
        var mutatingRefusals = new List<string>();
        var clientSideFailures = 0;
        var started = DateTime.UtcNow;
        var sent = 0;
        for (; sent < count; sent++)
        {
            Assert.True(DateTime.UtcNow - started < budget,
                $"seed {seed}: only {sent} of {count} requests within {budget.TotalSeconds} s (raise ECCO_FUZZ_SECONDS on a slow machine)");
            var generated = fuzzer.Next();
            var before = store.CommittedMutations;
            int status;
            string body;
            try
            {
                using var request = Build(generated);
                using var response = await host.Http.SendAsync(request);
                status = (int)response.StatusCode;
                body = await response.Content.ReadAsStringAsync();
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or FormatException or UriFormatException)
            {
                // The client refused to send it (an invalid header or URI): nothing reached the host.
                clientSideFailures++;
                continue;
            }

            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            // The one 5xx the API documents: rewinding a Failed instance on an engine that cannot (501, as the extension).
            if (status >= 500 && !(status == 501 && body.Contains("rewind-not-supported", StringComparison.Ordinal)))
            {
                serverErrors.Add($"#{sent} {status} {generated} -> {Truncate(body)}");
            }

            if (status >= 400)
            {
                var after = store.CommittedMutations;
                if (after != before || await AnyRunningAsync(host.Client))
                {
                    mutatingRefusals.Add($"#{sent} {status} changed the bucket ({after - before} mutation(s)): {generated}");
                    await WaitQuietAsync(host.Client);
                }
            }
            else if (generated.Method is not ("GET" or "HEAD"))
            {
                if (status == 202 && TryInstanceId(body) is { } id)
                {
                    fuzzer.Learn(id);
                }

                await WaitQuietAsync(host.Client);
            }
        }

        var elapsed = DateTime.UtcNow - started;
        output.WriteLine($"fuzz seed {seed}: {sent} requests ({clientSideFailures} refused by the client before sending) in {elapsed.TotalSeconds:F0} s; " +
            $"statuses {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}; 5xx: {serverErrors.Count}; refused-but-mutating: {mutatingRefusals.Count}");
        Assert.True(serverErrors.Count == 0, $"seed {seed}: {serverErrors.Count} 5xx answers:\n{string.Join("\n", serverErrors.Take(20))}");
        Assert.True(mutatingRefusals.Count == 0, $"seed {seed}: refused requests changed the bucket:\n{string.Join("\n", mutatingRefusals.Take(20))}");
        Assert.True(sent - clientSideFailures >= count * 9 / 10, $"only {sent - clientSideFailures} requests reached the host");
    }

    private static HttpRequestMessage Build(FuzzRequest generated)
    {
        var request = new HttpRequestMessage(new HttpMethod(generated.Method), new Uri(generated.PathAndQuery.TrimStart('/'), UriKind.Relative));
        if (generated.Body is not null)
        {
            request.Content = new ByteArrayContent(generated.Body);
            if (generated.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", generated.ContentType);
            }
        }

        foreach (var (name, value) in generated.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content is not null)
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private static string? TryInstanceId(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject o && o["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static async Task<bool> AnyRunningAsync(DurableTaskClient client)
    {
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running],
            PageSize = 1,
        };
        await foreach (var page in client.GetAllInstancesAsync(query).AsPages())
        {
            return page.Values.Count > 0;
        }

        return false;
    }

    /// <summary>Until no orchestration is pending or running (suspended ones are terminated: a fuzz run leaves nothing waiting).</summary>
    private static async Task WaitQuietAsync(DurableTaskClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var busy = false;
            await foreach (var page in client.GetAllInstancesAsync(new OrchestrationQuery
            {
                Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
                PageSize = 50,
            }).AsPages())
            {
                foreach (var suspended in page.Values.Where(m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended))
                {
                    await client.TerminateInstanceAsync(suspended.InstanceId, "fuzz run: nothing may stay suspended");
                }

                busy = page.Values.Count > 0;
                break;
            }

            if (!busy)
            {
                return;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("orchestrations still running after 60 s");
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
