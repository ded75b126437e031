using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CloudInventory.Catalog;
using CloudInventory.Cli;
using CloudInventory.Query;
using CloudInventory.Storage;
using Xunit.Abstractions;

namespace CloudInventory.Tests.Storage;

/// <summary>A three-day demo store (simulator, real collector), made once for the class.</summary>
public sealed class DemoStoreFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "cloudinv-drill-" + Guid.NewGuid().ToString("N")[..8]);

    public async Task InitializeAsync()
    {
        var error = new StringWriter();
        var code = await CliApp.InvokeAsync(["demo", "--days", "3", "--dir", Root, "--seed", "16"], new StringWriter(), error);
        if (code != 0) throw new InvalidOperationException("demo failed: " + error);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class StoreIntegrityCheckTests(DemoStoreFixture demo, ITestOutputHelper output) : IClassFixture<DemoStoreFixture>, IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string CopyOfDemo(string name)
    {
        var target = _dir.Combine(name);
        foreach (var file in Directory.EnumerateFiles(demo.Root, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(demo.Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    private static IReadOnlyList<RunManifest> Manifests(string root) =>
        StoreManifests.ReadAsync(new LocalInventoryStore(root)).GetAwaiter().GetResult().Accepted;

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task A_clean_store_checks_clean_and_the_cli_says_so_with_exit_0()
    {
        var root = CopyOfDemo("clean");
        var report = await new StoreIntegrityCheck(new LocalInventoryStore(root)).RunAsync();
        Assert.True(report.IsClean, string.Join("\n", report.Problems));
        Assert.Equal(Manifests(root).Sum(m => m.Files.Count), report.FilesVerified);

        var stdout = new StringWriter();
        var code = await CliApp.InvokeAsync(["store", "check", "--store", root, "--json"], stdout, new StringWriter());
        Assert.Equal(0, code);
        Assert.True((bool)JsonNode.Parse(stdout.ToString())!["clean"]!);
    }

    [Fact]
    public async Task Repair_quarantines_bad_manifests_where_queries_never_look_and_changes_no_listed_file()
    {
        var root = CopyOfDemo("repair");
        var manifests = Manifests(root);
        var victim = manifests[0];
        var listed = manifests.SelectMany(m => m.Files).ToDictionary(f => f.Path, f => Sha(Path.Combine(root, f.Path)));
        await File.WriteAllTextAsync(Path.Combine(root, victim.Path), "{\"run_id\": 42");

        var stdout = new StringWriter();
        var code = await CliApp.InvokeAsync(["store", "check", "--store", root, "--repair"], stdout, new StringWriter());

        Assert.Equal(3, code);
        Assert.Contains("unreadable_manifest", stdout.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(root, victim.Path)));
        Assert.True(File.Exists(Path.Combine(root, StoreLayout.QuarantinePrefix + victim.Path)));
        Assert.All(listed, f => Assert.Equal(f.Value, Sha(Path.Combine(root, f.Key))));
        // Afterwards the store checks clean, queries see the other runs without a warning, and gc keeps the quarantined run's files.
        var after = await new StoreIntegrityCheck(new LocalInventoryStore(root)).RunAsync(TimeSpan.Zero);
        Assert.True(after.IsClean, string.Join("\n", after.Problems));
        Assert.Empty(after.GarbageCollection.OrphanFiles);
        var warnings = new List<string>();
        using var db = InventoryDatabase.Open(root, TableCatalog.Default, new InventoryDatabaseOptions { Warning = warnings.Add });
        Assert.Empty(warnings);
        Assert.Equal(manifests.Count - 1, db.Runs.Count);
    }

    private enum Damage { BitFlip, Truncation, DeletedFile, BadManifest, DuplicatedManifest, MisplacedManifest, AliasLink, FileLinkOut, FolderLinkOut }

    [Fact]
    public async Task Damage_drill_50_seeded_damages_are_contained_named_and_reported_and_no_listed_file_changes()
    {
        var pristine = Manifests(demo.Root);
        var pristineListed = pristine.SelectMany(m => m.Files).ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
        var dataFiles = pristine.SelectMany(m => m.Files).Where(f => f.Table != StoreLayout.ErrorsTable && f.Rows > 0).ToArray();
        var random = new Random(16);
        var counts = new Dictionary<Damage, int>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            var damage = (Damage)random.Next(Enum.GetValues<Damage>().Length);
            counts[damage] = counts.GetValueOrDefault(damage) + 1;
            var root = CopyOfDemo($"d{i:00}");
            var store = new LocalInventoryStore(root);
            var file = dataFiles[random.Next(dataFiles.Length)];
            var manifest = pristine[random.Next(pristine.Count)];
            var otherDate = pristine.Select(m => m.ReportDate).First(d => d != manifest.ReportDate);
            string named; // what every report must name
            HashSet<string> lost; // listed files whose rows are no longer visible
            var full = Path.Combine(root, file.Path);
            switch (damage)
            {
                case Damage.BitFlip:
                    var bytes = await File.ReadAllBytesAsync(full);
                    var at = random.Next(bytes.Length);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    await File.WriteAllBytesAsync(full, bytes);
                    (named, lost) = (file.Path, [file.Path]);
                    break;
                case Damage.Truncation:
                    using (var stream = new FileStream(full, FileMode.Open)) stream.SetLength(random.Next((int)stream.Length));
                    (named, lost) = (file.Path, [file.Path]);
                    break;
                case Damage.DeletedFile:
                    File.Delete(full);
                    (named, lost) = (file.Path, [file.Path]);
                    break;
                case Damage.BadManifest:
                    var text = await File.ReadAllTextAsync(Path.Combine(root, manifest.Path));
                    await File.WriteAllTextAsync(Path.Combine(root, manifest.Path), text[..random.Next(text.Length / 2)]);
                    (named, lost) = (manifest.Path, manifest.Files.Select(f => f.Path).ToHashSet());
                    break;
                case Damage.DuplicatedManifest:
                case Damage.MisplacedManifest:
                    var copy = StoreLayout.ManifestPath(otherDate, manifest.RunId, manifest.Shard);
                    if (copy == manifest.Path || File.Exists(Path.Combine(root, copy))) copy = copy.Replace(".json", "-copy.json", StringComparison.Ordinal);
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, copy))!);
                    File.Copy(Path.Combine(root, manifest.Path), Path.Combine(root, copy));
                    if (damage == Damage.MisplacedManifest) File.Delete(Path.Combine(root, manifest.Path));
                    (named, lost) = (copy, damage == Damage.MisplacedManifest ? manifest.Files.Select(f => f.Path).ToHashSet() : []);
                    break;
                case Damage.AliasLink:
                    var folder = Path.GetDirectoryName(Path.GetDirectoryName(full))!;
                    Directory.CreateSymbolicLink(folder + "_old", Path.GetFileName(folder));
                    (named, lost) = (Path.GetRelativePath(root, folder + "_old").Replace('\\', '/'), []);
                    break;
                case Damage.FileLinkOut:
                    var outside = _dir.Combine($"outside{i:00}.parquet");
                    File.Move(full, outside);
                    File.CreateSymbolicLink(full, outside);
                    (named, lost) = (file.Path, [file.Path]);
                    break;
                default:
                    var target = _dir.Combine($"outside{i:00}", StoreLayout.Partition(manifest.ReportDate));
                    Directory.CreateDirectory(target);
                    File.Copy(full, Path.Combine(target, Path.GetFileName(full)));
                    Directory.CreateSymbolicLink(Path.Combine(root, "aws", "ec2", "stolen"), Path.GetDirectoryName(target)!);
                    (named, lost) = ("aws/ec2/stolen", []);
                    break;
            }

            // Queries: exactly the rows of the files not lost, per table and day, and the damage named when rows are lost.
            var warnings = new List<string>();
            using (var db = InventoryDatabase.Open(root, TableCatalog.Default, new InventoryDatabaseOptions { Warning = warnings.Add }))
            {
                var tables = (damage is Damage.BadManifest or Damage.MisplacedManifest ? manifest.Files.Select(f => f.Table) : [file.Table])
                    .Where(t => t != StoreLayout.ErrorsTable).Distinct().Take(4);
                foreach (var table in tables)
                {
                    var expected = pristine.SelectMany(m => m.Files).Where(f => f.Table == table && !lost.Contains(f.Path))
                        .GroupBy(f => StoreLayout.ReportDateOf(f.Path)!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                        .ToDictionary(g => g.Key, g => g.Sum(f => f.Rows));
                    var actual = new Dictionary<string, long>();
                    using var reader = db.ExecuteQuery($"SELECT strftime(report_date, '%Y-%m-%d'), count(*) FROM {table} GROUP BY 1");
                    while (reader.Read()) actual[reader.GetString(0)] = reader.GetInt64(1);
                    Assert.True(expected.Where(e => e.Value > 0).OrderBy(e => e.Key).SequenceEqual(actual.OrderBy(e => e.Key)), $"{damage} #{i} on {table}: expected {string.Join(",", expected)} got {string.Join(",", actual)}");
                }
                if (lost.Count > 0 || damage is Damage.DuplicatedManifest)
                {
                    Assert.True(warnings.Any(w => w.Contains(named, StringComparison.Ordinal)), $"{damage} #{i}: no warning names {named}: {string.Join(" | ", warnings)}");
                }
            }

            // store check reports it; gc (no grace period) and check --repair never delete or change a listed file.
            var report = await new StoreIntegrityCheck(store).RunAsync(TimeSpan.Zero);
            Assert.True(report.Problems.Any(p => p.Path == named), $"{damage} #{i}: store check does not report {named}: {string.Join(" | ", report.Problems)}");
            await new StoreGarbageCollector(store).CollectAsync(new StoreGarbageCollectorOptions { GracePeriod = TimeSpan.Zero });
            await new StoreIntegrityCheck(store).RunAsync(TimeSpan.Zero, repair: true);
            foreach (var (path, sha) in pristineListed)
            {
                if (lost.Contains(path) && damage is Damage.BitFlip or Damage.Truncation or Damage.DeletedFile or Damage.FileLinkOut && path == file.Path) continue;
                var now = Path.Combine(root, path);
                Assert.True(File.Exists(now) && Sha(now) == sha, $"{damage} #{i}: listed file {path} was deleted or changed");
            }
            if (damage == Damage.FolderLinkOut) Assert.Single(Directory.EnumerateFiles(_dir.Combine($"outside{i:00}"), "*", SearchOption.AllDirectories));
            if (damage == Damage.FileLinkOut) Assert.True(File.Exists(_dir.Combine($"outside{i:00}.parquet")));
            Directory.Delete(root, recursive: true);
        }
        output.WriteLine($"damage drill: 50 damages in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}");

        // The figures in docs/store-format.md are this run's: every damage passed every check above, so each kind's row
        // reads its count, its count (queries exact, damage named), its count (store check) and 0 listed files changed.
        var doc = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "store-format.md"));
        Assert.Contains($"; {pristine.Count} manifests, {pristineListed.Count} listed files,", doc, StringComparison.Ordinal);
        foreach (var damage in Enum.GetValues<Damage>())
        {
            var n = counts.GetValueOrDefault(damage);
            var noRowsLost = damage is Damage.AliasLink or Damage.FolderLinkOut ? " (no rows lost)" : "";
            Assert.Contains($"| {DrillLabels[damage]} | {n} | {n}{noRowsLost} | {n} | 0 |", doc, StringComparison.Ordinal);
        }
        Assert.Contains($"| **total** | **{counts.Values.Sum()}** | **{counts.Values.Sum()}** | **{counts.Values.Sum()}** | **0** |", doc, StringComparison.Ordinal);
    }

    // How docs/store-format.md names each damage in the drill's table.
    private static readonly Dictionary<Damage, string> DrillLabels = new()
    {
        [Damage.BitFlip] = "bit flip in a data file",
        [Damage.Truncation] = "truncated data file",
        [Damage.DeletedFile] = "deleted data file",
        [Damage.BadManifest] = "manifest cut short (bad JSON)",
        [Damage.DuplicatedManifest] = "manifest duplicated into another partition",
        [Damage.MisplacedManifest] = "manifest moved to another partition",
        [Damage.AliasLink] = "alias folder link (`instances_old -> instances`)",
        [Damage.FileLinkOut] = "data file replaced by a link to outside",
        [Damage.FolderLinkOut] = "folder link to outside the store",
    };
}
