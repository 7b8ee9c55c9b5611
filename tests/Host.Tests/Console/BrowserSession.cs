using Microsoft.Playwright;

namespace EccoStudio.Host.Tests.Console;

/// <summary>
/// Debian's Chromium (installed by scripts/test.sh; Playwright cannot download its own browsers here) driven by
/// Microsoft.Playwright, headless. Screenshots go to TestResults/console/ at the repository root.
/// </summary>
public sealed class BrowserSession : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotFolder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EccoStudio.sln")))
            {
                dir = dir.Parent;
            }

            var folder = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "TestResults", "console");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: scripts/test.sh installs Debian's chromium package");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless=new", "--no-sandbox"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
