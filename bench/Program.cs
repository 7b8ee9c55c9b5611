using System.Diagnostics;
using EccoStudio.Bench.Measurement;
using EccoStudio.Bench.Suites;

// Usage: dotnet run -c Release --project bench -- [suite ...] [--quick] [--out FILE]
// No suite = everything issue 6 asks for (floor, writes, http, listing, engine, profile).
var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
var suites = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && !(i > 0 && args[i - 1] == "--out")).ToList();
string[] all = ["floor", "writes", "http", "listing", "engine", "profile"];
string[] known = [.. all, "emulator"];
var unknown = suites.Where(s => !known.Contains(s)).ToList();
if (unknown.Count > 0 || (outIndex >= 0 && outIndex == args.Length - 1))
{
    await Console.Error.WriteLineAsync($"bench: unknown suite or missing value: {string.Join(' ', unknown)} (suites: {string.Join(", ", known)}; options: --quick, --out FILE)");
    return 2;
}

var everything = suites.Count == 0;
if (everything)
{
    suites.AddRange(all);
}

var repoRoot = FindRepoRoot();
var report = new Report(suites, quick);
var total = Stopwatch.StartNew();
foreach (var suite in suites)
{
    var sw = Stopwatch.StartNew();
    report.BeginSuite(suite);
    Console.WriteLine($"== {suite} ==");
    switch (suite)
    {
        case "emulator":
            await new EmulatorFloorSuite(quick, Console.Out).RunAsync(report);
            break;
        case "floor":
            await new EmulatorFloorSuite(quick, Console.Out, memoryOnly: true).RunAsync(report);
            break;
        case "writes":
            await new WritePathSuite(quick, Console.Out).RunAsync(report);
            break;
        case "http":
            await new HttpSuite(quick, Console.Out).RunAsync(report);
            break;
        case "listing":
            await new ListingSuite(quick, Console.Out).RunAsync(report);
            break;
        case "engine":
            await new EngineSuite(quick, Console.Out).RunAsync(report);
            break;
        case "profile":
            await new ProfileSuite(quick, Console.Out).RunAsync(report);
            break;
    }

    report.EndSuite(suite, sw.Elapsed);
}

report.BeginSuite("summary");
Summary.Add(report);
report.EndSuite("summary", total.Elapsed);
report.Note($"Total wall time {total.Elapsed.TotalSeconds:F0} s.");

report.PrintTable(Console.Out);
var name = everything ? "latest" : string.Join('-', suites);
var path = outIndex >= 0 ? args[outIndex + 1] : Path.Combine(repoRoot, "bench", "results", $"{name}.json");
await report.WriteJsonAsync(path);
Console.WriteLine($"JSON summary written to {path}");
Console.WriteLine(report.ToJson().ToJsonString());
return 0;

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
