using EccoStudio.Engine.Azurite;
using Xunit;

namespace EccoStudio.Testing;

/// <summary>
/// Azurite for a test collection: <see cref="AzuriteProcess"/> (the repository's pinned npm package) on free loopback
/// ports with a throw-away data directory, stopped and deleted on dispose.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    /// <summary>Azurite's data directory (deleted on dispose).</summary>
    public string Location { get; } = Path.Combine(Path.GetTempPath(), "azurite-" + Guid.NewGuid().ToString("N"));

    /// <summary>Connection string for the running instance.</summary>
    public string ConnectionString => Running.ConnectionString;

    /// <summary>What Azurite printed (for failure messages).</summary>
    public string Output => _azurite?.Output ?? string.Empty;

    private AzuriteProcess Running => _azurite ?? throw new InvalidOperationException("Azurite has not been started.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync(Location);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
            _azurite = null;
        }

        try
        {
            Directory.Delete(Location, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    /// <summary>The directory holding EccoStudio.sln, found by walking up from the test binaries.</summary>
    public static string FindRepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EccoStudio.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"EccoStudio.sln not found above {AppContext.BaseDirectory}.");
    }
}
