using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EccoStudio.GcsEmulator.Faults;
using EccoStudio.Host.Tests.Telemetry;
using Microsoft.Playwright;

namespace EccoStudio.Host.Tests.Console;

/// <summary>
/// The ops console (<c>/ops</c>) in a real headless Chromium against a dev host that requires an API key: the page
/// loads without the key, then lists instances, shows a failed write's step and error, terminates a running instance,
/// diffs two versions of an entity and shows it as of an earlier time. Each scenario saves a screenshot.
/// </summary>
[Collection(TelemetryGroup.Name)]
public sealed class OpsConsoleTests(TelemetryHostFixture host, BrowserSession browser) : IClassFixture<TelemetryHostFixture>, IClassFixture<BrowserSession>
{
    private static readonly LocatorAssertionsToContainTextOptions Wait = new() { Timeout = 30_000 };

    private async Task<IPage> OpenConsoleAsync()
    {
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var response = await page.GotoAsync(new Uri(host.Host.BaseUri, "ops/").ToString());
        Assert.Equal(200, response!.Status);
        await page.GetByLabel("API key").FillAsync("test-api-key-7f3c");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        return page;
    }

    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSession.ScreenshotFolder, name + ".png"), FullPage = true });

    [Fact]
    public async Task Instances_AfterWrites_ListsThemAndOpensOne()
    {
        var first = await host.PutAsync("V8001");
        var second = await host.PutAsync("V8002");
        await host.WaitAsync(first);
        await host.WaitAsync(second);

        var page = await OpenConsoleAsync();
        await page.GetByLabel("Id prefix").FillAsync("write:dev:ventures:V800");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var table = page.Locator("#instances");
        await Assertions.Expect(table).ToContainTextAsync("write:dev:ventures:V8001", Wait);
        await Assertions.Expect(table).ToContainTextAsync("write:dev:ventures:V8002", Wait);
        await Assertions.Expect(table).ToContainTextAsync("Completed", Wait);

        await page.GetByRole(AriaRole.Button, new() { Name = first["id"]!.GetValue<string>() }).ClickAsync();
        await Assertions.Expect(page.Locator("#detail-steps")).ToContainTextAsync("snapshot: done", Wait);
        await Assertions.Expect(page.Locator("#detail-input")).ToContainTextAsync("V8001", Wait);

        // The engine's history events: started, one completed task per activity (named), completed.
        var history = page.Locator("#detail-history tbody tr");
        await Assertions.Expect(history.First).ToContainTextAsync("ExecutionStarted", Wait);
        await Assertions.Expect(history.Last).ToContainTextAsync("ExecutionCompleted", Wait);
        await Assertions.Expect(history.Filter(new() { HasText = "TaskCompleted" })).ToHaveCountAsync(ManagementApiHistory.WriteActivities.Length, new() { Timeout = 30_000 });
        await Assertions.Expect(history.Filter(new() { HasText = "ApplySnapshotActivity" })).ToContainTextAsync("TaskCompleted", Wait);
        await Assertions.Expect(page.Locator("#detail-history-note")).ToContainTextAsync($"{ManagementApiHistory.WriteActivities.Length + 2} event(s)", Wait);
        await ShotAsync(page, "instances");
    }

    [Fact]
    public async Task Instance_FailedWrite_ShowsFailedStepAndError()
    {
        host.Faults.FailPuts("/manifests/", "/V8101.json", 1, transient: false);
        var failed = await host.PutAsync("V8101");
        Assert.Equal("Failed", (await host.WaitAsync(failed))["runtimeStatus"]!.GetValue<string>());

        var page = await OpenConsoleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Health" }).ClickAsync();
        await Assertions.Expect(page.Locator("#failed")).ToContainTextAsync(failed["id"]!.GetValue<string>(), Wait);
        await Assertions.Expect(page.Locator("#failed")).ToContainTextAsync("manifest", Wait);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Instances" }).ClickAsync();
        await page.GetByLabel("Id prefix").FillAsync("write:dev:ventures:V8101");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = failed["id"]!.GetValue<string>() }).ClickAsync();
        await Assertions.Expect(page.Locator("#detail-steps .step-failed")).ToContainTextAsync("manifest", Wait);
        await Assertions.Expect(page.Locator("#detail-summary")).ToContainTextAsync("failed at step manifest", Wait);
        await Assertions.Expect(page.Locator("#detail-summary")).ToContainTextAsync("injected: the store refused", Wait);
        await ShotAsync(page, "failed-write");
    }

    [Fact]
    public async Task Instance_TerminateFromPage_EndsRunningInstance()
    {
        // Hold the write in its snapshot step (every read of the snapshot waits 3 s) so that it is still running.
        host.Host.Gcs.Faults.Update(new FaultSettings { LatencyRate = 1, LatencyMs = 3000, ObjectPrefix = "env/dev/snapshots/ventures/V8201" });
        try
        {
            var running = await host.PutAsync("V8201");
            var id = running["id"]!.GetValue<string>();
            var page = await OpenConsoleAsync();
            await page.GetByLabel("Id prefix").FillAsync("write:dev:ventures:V8201");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = id }).ClickAsync();
            await Assertions.Expect(page.Locator("#detail-summary")).ToContainTextAsync("Running", Wait);
            await page.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
            await Assertions.Expect(page.Locator("#detail-summary")).ToContainTextAsync("Terminated", Wait);
            await ShotAsync(page, "terminated");

            using var status = await host.Http.GetAsync(new Uri($"runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(id)}", UriKind.Relative));
            var body = JsonNode.Parse(await status.Content.ReadAsStringAsync())!;
            Assert.Equal("Terminated", body["runtimeStatus"]!.GetValue<string>());
        }
        finally
        {
            host.Host.Gcs.Faults.Update(new FaultSettings());
        }
    }

    [Fact]
    public async Task Entity_HistoryDiffAndAsOf_ShowChangedFieldAndOlderValue()
    {
        var v2 = TelemetryHostFixture.Venture.Replace("\"Idea\"", "\"Scale\"", StringComparison.Ordinal);
        Assert.Equal("Completed", (await host.WaitAsync(await host.PutAsync("V8301")))["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("Completed", (await host.WaitAsync(await host.PutAsync("V8301", v2)))["runtimeStatus"]!.GetValue<string>());

        var page = await OpenConsoleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Entities" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "List", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "V8301" }).ClickAsync();
        await Assertions.Expect(page.Locator("#entity-snapshot")).ToContainTextAsync("Scale", Wait);
        await Assertions.Expect(page.Locator("#entity-history tbody tr")).ToHaveCountAsync(2, new() { Timeout = 30_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = "Compare selected versions" }).ClickAsync();
        var diff = page.Locator("#entity-diff");
        await Assertions.Expect(diff.Locator("tbody tr", new() { HasText = "status" })).ToContainTextAsync("\"Idea\"", Wait);
        await Assertions.Expect(diff.Locator("tbody tr", new() { HasText = "status" })).ToContainTextAsync("\"Scale\"", Wait);
        await Assertions.Expect(diff).Not.ToContainTextAsync("lead", new() { Timeout = 1_000 });

        // As of the first version's time (the older history row): the older value.
        var firstVersion = await page.Locator("#entity-history tbody tr").Nth(1).Locator("td").Nth(2).InnerTextAsync();
        await page.GetByLabel("As of (UTC)").FillAsync(firstVersion);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator("#entity-asof-result")).ToContainTextAsync("\"status\": \"Idea\"", Wait);
        await ShotAsync(page, "entity-diff-asof");
    }

    [Fact]
    public async Task Page_WithoutKey_LoadsButApiCallsAreRefused()
    {
        using var anonymous = new HttpClient { BaseAddress = host.Host.BaseUri };
        using (var page = await anonymous.GetAsync(new Uri("ops/", UriKind.Relative)))
        {
            Assert.Equal(200, (int)page.StatusCode);
            Assert.Contains("EccoStudio ops", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        using var catalog = await anonymous.GetAsync(new Uri("api/ops/catalog", UriKind.Relative));
        Assert.Equal(401, (int)catalog.StatusCode);
        using var metrics = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(401, (int)metrics.StatusCode);
        var keyed = await host.Http.GetFromJsonAsync<JsonObject>(new Uri("api/ops/catalog", UriKind.Relative));
        Assert.Contains(keyed!["kinds"]!.AsArray(), k => k!["prefix"]!.GetValue<string>() == "ventures" && k["indices"]!.AsArray().Count > 0);
    }

    [Fact]
    public async Task DriftCheck_OneKind_ReportsConsistentThenDriftAfterHandEdit()
    {
        Assert.Equal("Completed", (await host.WaitAsync(await host.PutAsync("V8401")))["runtimeStatus"]!.GetValue<string>());
        var page = await OpenConsoleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Health" }).ClickAsync();
        await page.Locator("#d-kind").SelectOptionAsync("ventures");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();
        await Assertions.Expect(page.Locator("#drift-report")).Not.ToContainTextAsync("Checking", Wait);
        var consistent = await page.Locator("#drift-report").InnerTextAsync();

        // Hand-edit the snapshot behind the system's back: the check must now report drift for V8401.
        using var storage = new HttpClient { BaseAddress = host.Host.GcsBaseUri };
        var name = Uri.EscapeDataString("env/dev/snapshots/ventures/V8401.json");
        using var upload = await storage.PostAsync(new Uri($"upload/storage/v1/b/{host.Host.Settings.Bucket}/o?uploadType=media&name={name}", UriKind.Relative),
            new StringContent(TelemetryHostFixture.Venture.Replace("Ann", "Hand", StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        Assert.True(upload.IsSuccessStatusCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();
        await Assertions.Expect(page.Locator("#drift-report")).ToContainTextAsync("V8401", Wait);
        await ShotAsync(page, "drift-check");
        Assert.DoesNotContain("V8401", consistent, StringComparison.Ordinal);
    }
}
