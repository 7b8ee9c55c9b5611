using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Host.Verify;
using EccoStudio.Reliability.Tests.Support;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Testing;
using Xunit.Abstractions;

namespace EccoStudio.Reliability.Tests;

/// <summary>
/// Issue 13 item 4: an erasure accepted over HTTP by a dev host on the Azurite-backed engine, the host killed with
/// SIGKILL while the erasure is at its history step, started again on the same data and task hub: the erasure
/// resumes and completes, no version of the entity is left, the rest of the bucket is untouched.
/// </summary>
public sealed class EraseKillTests(AzuriteFixture azurite, GcsEmulatorFixture gcs, ITestOutputHelper output)
    : IClassFixture<AzuriteFixture>, IClassFixture<GcsEmulatorFixture>
{
    private const string Bucket = Storage.Layout.StorageLayoutOptions.DefaultBucket;

    [Fact]
    public async Task Kill9_DevHostOnAzuriteDuringErase_ErasureCompletesAfterRestart()
    {
        var data = Path.Combine(Path.GetTempPath(), "ecco-erase-kill-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePorts.Next();
        string[] arguments = ["--gcs-emulator", gcs.Server.BaseUri.ToString()];
        var settings = new VerifySettings { Gcs = gcs.Server.BaseUri, Entities = ["talent"] };
        var context = VerifyRunner.CreateContext(settings, FolderSchemaSource.FindRepoSchemas());
        var versions = (IObjectVersions)context.Store;
        Uri status;
        List<string> others;
        try
        {
            using (var first = await ChildHost.StartAsync(port, 0, data, azurite.ConnectionString, TimeSpan.FromMinutes(2), arguments: arguments))
            {
                using var http = new HttpClient { BaseAddress = first.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
                await WriteAsync(http, HttpMethod.Put, "api/dev/talent/TK-1", """{"schema_version":"1.0.0","name":"Ada Lovelace","location":"London","skills":["rust"]}""");
                await WriteAsync(http, HttpMethod.Patch, "api/dev/talent/TK-1", """{"location":"Paris"}""");
                await WriteAsync(http, HttpMethod.Put, "api/dev/talent/TK-2", """{"schema_version":"1.0.0","name":"Grace Hopper","location":"Arlington","skills":["cobol"]}""");
                others = (await VersionsAsync(versions)).Where(v => !v.Contains("/TK-1", StringComparison.Ordinal) && !v.Contains("/manifests/", StringComparison.Ordinal)).ToList();

                // Every history delete of TK-1 hangs: the erasure reaches its history step and stays there for the kill.
                gcs.Server.Faults.Update(new FaultSettings { LatencyRate = 1, LatencyMs = 60_000, Method = "DELETE", ObjectPrefix = "env/dev/talent/TK-1/history/" });
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/ops/erase/dev/talent/TK-1", UriKind.Relative))
                {
                    Content = new StringContent("""{"reason":"GDPR request 77"}""", Encoding.UTF8, "application/json"),
                };
                using var accepted = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
                status = accepted.Headers.Location!;
                var deadline = DateTime.UtcNow.AddMinutes(2);
                while (JsonNode.Parse(await http.GetStringAsync(status))!["customStatus"]?["Step"]?.GetValue<string>() != "history")
                {
                    Assert.True(DateTime.UtcNow < deadline, "the erasure did not reach its history step");
                    await Task.Delay(200);
                }

                await Task.Delay(500); // the history activity is running (its first delete hangs)
                first.Kill();
            }

            gcs.Server.Faults.Update(new FaultSettings());
            var midway = await VersionsAsync(versions);
            output.WriteLine($"after the kill: {midway.Count(v => v.Contains("/TK-1/history/", StringComparison.Ordinal))} history versions of TK-1 left");
            Assert.DoesNotContain(midway, v => v.StartsWith(ObjectPaths.Snapshot(new EntityTarget("dev", EntityCatalog.Talent, "TK-1")) + "#", StringComparison.Ordinal));
            Assert.Contains(midway, v => v.Contains("/TK-1/history/", StringComparison.Ordinal));

            using var second = await ChildHost.StartAsync(port, 0, data, azurite.ConnectionString, TimeSpan.FromMinutes(2), arguments: arguments);
            using var again = new HttpClient { BaseAddress = second.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
            // The leased work item comes back after the engine's visibility timeout (15 s for the child, ChildHost).
            var completion = DateTime.UtcNow.AddMinutes(4);
            JsonObject final;
            while (true)
            {
                using var response = await again.GetAsync(new Uri(status.PathAndQuery.TrimStart('/'), UriKind.Relative));
                final = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > completion)
                {
                    break;
                }

                await Task.Delay(1000);
            }

            output.WriteLine(final.ToJsonString());
            Assert.Equal("Completed", final["runtimeStatus"]!.GetValue<string>());
            var after = await VersionsAsync(versions);
            Assert.DoesNotContain(after, v => v.Contains("/TK-1", StringComparison.Ordinal) && !v.Contains("/logs/erasures/", StringComparison.Ordinal));
            Assert.All(others, v => Assert.Contains(v, after));
            Assert.Equal(2, final["output"]!["VersionsRemoved"]!["history"]!.GetValue<int>());
            var report = await new ConsistencyChecker(context).CheckAsync("dev", [EntityCatalog.Talent]);
            Assert.True(report.IsConsistent, report.Summary());
        }
        finally
        {
            gcs.Server.Faults.Update(new FaultSettings());
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    private static async Task WriteAsync(HttpClient http, HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json"),
        };
        using var accepted = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            using var response = await http.GetAsync(accepted.Headers.Location!);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal("Completed", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["runtimeStatus"]!.GetValue<string>());
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{method} {path} did not complete");
            await Task.Delay(100);
        }
    }

    private static async Task<List<string>> VersionsAsync(IObjectVersions versions)
    {
        var all = new List<string>();
        string? token = null;
        do
        {
            var page = await versions.ListVersionsAsync(Bucket, "", token);
            all.AddRange(page.Objects.Select(o => $"{o.Name}#{o.Generation}"));
            token = page.NextPageToken;
        }
        while (token is not null);

        return all;
    }
}
