using System.Text.Json.Nodes;
using EccoStudio.Orchestrations.Composition;

namespace EccoStudio.Triggers.Tests;

/// <summary>The Functions app's generated functions.metadata (its build output) lists every trigger we expect.</summary>
public sealed class FunctionsMetadataTests
{
    // The one list of durable tasks (what the local engine registers); the Functions wrappers are checked against it.
    private static readonly string[] Activities = [.. WritePathTasks.ActivityTypes.Select(t => t.Name)];

    private static readonly string[] Orchestrators = [.. WritePathTasks.OrchestratorTypes.Select(t => t.Name)];

    private static JsonArray Metadata()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "src", "Triggers", "EccoStudio.Triggers.csproj")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // Debug/Release
        var path = Path.Combine(dir.FullName, "src", "Triggers", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"{path} was not generated");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray();
    }

    private static JsonObject Trigger(JsonArray metadata, string name)
    {
        var function = metadata.Select(f => f!.AsObject()).SingleOrDefault(f => f["name"]!.GetValue<string>() == name);
        Assert.True(function is not null, $"function {name} missing from functions.metadata");
        return function!["bindings"]!.AsArray().Select(b => b!.AsObject()).First(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string, string> HttpTriggers => new()
    {
        { "PutEntity", "put", "{env}/{entity}/{id}", "Function" },
        { "PatchEntity", "patch", "{env}/{entity}/{id}", "Function" },
        { "DeleteEntity", "delete", "{env}/{entity}/{id}", "Function" },
        { "GetEntity", "get", "{env}/{entity}/{id}", "Function" },
        { "GetEntity", "head", "{env}/{entity}/{id}", "Function" },
        { "GetEntityCollection", "head", "{env}/{entity}", "Function" },
        { "GetEntityHistory", "head", "{env}/{entity}/{id}/history", "Function" },
        { "Health", "head", "health", "Anonymous" },
        { "PostEntityBatch", "post", "{env}/{entity}:batch", "Function" },
        { "GetEntityHistory", "get", "{env}/{entity}/{id}/history", "Function" },
        { "GetEntityCollection", "get", "{env}/{entity}", "Function" },
        { "Health", "get", "health", "Anonymous" },
        { "PubSubGcsEvents", "post", "pubsub/gcs-events", "Anonymous" },
        { "OpsErase", "post", "ops/erase/{env}/{entity}/{id}", "Function" },
    };

    [Theory]
    [MemberData(nameof(HttpTriggers))]
    public void Metadata_HttpTrigger_HasRouteMethodAndAuthLevel(string name, string method, string route, string authLevel)
    {
        var trigger = Trigger(Metadata(), name);
        Assert.Equal("httpTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal(authLevel, trigger["authLevel"]!.GetValue<string>());
        Assert.Contains(trigger["methods"]!.AsArray(), m => string.Equals(m!.GetValue<string>(), method, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Metadata_EveryOrchestratorAndActivity_HasItsTrigger()
    {
        var metadata = Metadata();
        foreach (var name in Orchestrators)
        {
            Assert.Equal("orchestrationTrigger", Trigger(metadata, name)["type"]!.GetValue<string>());
        }

        foreach (var name in Activities)
        {
            Assert.Equal("activityTrigger", Trigger(metadata, name)["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Metadata_DurableFunctions_AreExactlyTheRegisteredTasks()
    {
        string[] Named(string triggerType) =>
        [
            .. Metadata().Select(f => f!.AsObject())
                .Where(f => f["bindings"]!.AsArray().Any(b => b!["type"]!.GetValue<string>() == triggerType))
                .Select(f => f["name"]!.GetValue<string>()).Order(StringComparer.Ordinal),
        ];

        Assert.Equal(Orchestrators.Order(StringComparer.Ordinal), Named("orchestrationTrigger"));
        Assert.Equal(Activities.Order(StringComparer.Ordinal), Named("activityTrigger"));
    }

    [Fact]
    public void Metadata_CompactionTimer_IsScheduled()
    {
        var trigger = Trigger(Metadata(), "CompactManifestsTimer");
        Assert.Equal("timerTrigger", trigger["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(trigger["schedule"]?.GetValue<string>()));
    }

    [Fact]
    public void Metadata_OnlyHealthBridgeAndConsolePage_AreAnonymous()
    {
        // The console page is static files only; its catalog and drift routes need the function key.
        var anonymous = Metadata().Select(f => f!.AsObject())
            .Where(f => f["bindings"]!.AsArray().Any(b => b!["authLevel"]?.GetValue<string>() == "Anonymous"))
            .Select(f => f["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Health", "OpsConsole", "PubSubGcsEvents"], anonymous);
    }
}
