using EccoStudio.Bench.Measurement;
using EccoStudio.Bench.Suites;

// Usage: dotnet run -c Release --project bench -- [emulator] [--quick] [--out FILE]
var quick = args.Contains("--quick");
var suites = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !IsOptionValue(args, a)).ToList();
var outIndex = Array.IndexOf(args, "--out");
var known = new[] { "emulator" };
var unknown = suites.Where(s => !known.Contains(s)).ToList();
if (unknown.Count > 0 || (outIndex >= 0 && outIndex == args.Length - 1))
{
    await Console.Error.WriteLineAsync($"bench: unknown suite or missing value: {string.Join(' ', unknown)} (suites: {string.Join(", ", known)}; options: --quick, --out FILE)");
    return 2;
}

if (suites.Count == 0)
{
    suites.Add("emulator");
}

var repoRoot = FindRepoRoot();
foreach (var suite in suites)
{
    var report = new Report(suite, quick);
    switch (suite)
    {
        case "emulator":
            await new EmulatorFloorSuite(quick, Console.Out).RunAsync(report);
            break;
    }

    report.PrintTable(Console.Out);
    var path = outIndex >= 0 ? args[outIndex + 1] : Path.Combine(repoRoot, "bench", "results", $"{suite}.json");
    await report.WriteJsonAsync(path);
    Console.WriteLine($"JSON summary written to {path}");
    Console.WriteLine(report.ToJson().ToJsonString());
}

return 0;

static bool IsOptionValue(string[] all, string value)
{
    var i = Array.IndexOf(all, value);
    return i > 0 && all[i - 1] == "--out";
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "EccoStudio.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
