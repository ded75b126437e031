using System.CommandLine;
using System.Text.RegularExpressions;
using CloudInventory.Cli;
using CloudInventory.Simulator;
using CloudInventory.Simulator.World;

namespace CloudInventory.Tests.Cli.Commands;

public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task The_demo_collects_both_clouds_each_day_and_answers_four_questions_consistent_with_the_worlds()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cloudinv-demo-test-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = await CliApp.InvokeAsync(["demo", "--days", "3", "--dir", dir, "--seed", "42"], stdout, stderr);
            var text = stdout.ToString();
            Assert.True(code == 0, stderr.ToString() + text);

            // The same world the demo served: seed 42, 3 accounts (one suspended), 2 regions.
            var world = new SimulatedWorld(new SimulatorOptions { Seed = 42, Accounts = 3, Regions = ["us-east-1", "eu-west-1"] });
            var active = world.Accounts.Where(a => a.Status == "ACTIVE").ToList();
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            for (var day = today.AddDays(-2); day <= today; day = day.AddDays(1))
            {
                var instances = active.SelectMany(a => world.Regions.SelectMany(r => world.Instances(a.Id, r, day))).ToList();
                var running = instances.Count(i => i.State == "running");
                Assert.Matches($@"\n{day:yyyy-MM-dd} +{instances.Count} +{running}\r?\n", text);
            }
            // Question 1 lists instances of the latest snapshot; question 2 only running ones in public subnets.
            var latest = active.SelectMany(a => world.Regions.SelectMany(r => world.Instances(a.Id, r, today))).ToDictionary(i => i.Id);
            var answer2 = text[text.IndexOf("2. Running instances", StringComparison.Ordinal)..text.IndexOf("3. Instances per day", StringComparison.Ordinal)];
            var ids = InstanceId().Matches(answer2).Select(m => m.Value).Distinct().ToList();
            Assert.NotEmpty(ids);
            Assert.All(ids, id => Assert.True(latest[id].State == "running" && latest[id].Subnet.Layer == "public", id));
            Assert.Contains("Explore further:", text, StringComparison.Ordinal);

            // Question 4: both clouds per day; Azure's count is the simulated tenant's footprint (resources and resource groups of its enabled
            // subscriptions, and every subscription: the disabled one is listed with its state, so it is an account too).
            var azure = new CloudInventory.Simulator.Azure.SimulatedAzureWorld(new CloudInventory.Simulator.Azure.SimulatedAzureOptions { Seed = 42, Subscriptions = CloudInventory.Cli.Commands.DemoCommand.AzureSubscriptions });
            var enabled = azure.Subscriptions.Where(s => s.State == "Enabled").ToList();
            var answer4 = text[text.IndexOf("4. Resources per cloud per day", StringComparison.Ordinal)..text.IndexOf("Explore further:", StringComparison.Ordinal)];
            for (var day = today.AddDays(-2); day <= today; day = day.AddDays(1))
            {
                var footprint = enabled.Sum(s => azure.Resources(s, day).Count() + azure.ResourceGroups(s, day).Count) + azure.Subscriptions.Count;
                Assert.Matches($@"\n{day:yyyy-MM-dd} +azure +{footprint} +{azure.Subscriptions.Count}\r?\n", answer4);
                Assert.Matches($@"\n{day:yyyy-MM-dd} +aws +\d+ +{active.Count}\r?\n", answer4);
            }

            // The diff and trend follow-ups it prints work on the store it just made.
            var followUps = text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("cloudinv diff ", StringComparison.Ordinal) || l.StartsWith("cloudinv trend ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(3, followUps.Length);
            Assert.Contains(followUps, l => l.StartsWith("cloudinv trend --by cloud ", StringComparison.Ordinal));
            foreach (var line in followUps)
            {
                var command = line.Split('#')[0];
                var followUp = CloudInventory.Tests.Query.CliRunner.Run(command.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);
                Assert.True(followUp.Code == 0, $"{line}: {followUp.Err}");
                if (command.Contains("--by cloud", StringComparison.Ordinal)) Assert.Contains(",azure,", followUp.Out, StringComparison.Ordinal);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_demo_refuses_to_replace_a_directory_it_did_not_write()
    {
        var dir = Directory.CreateTempSubdirectory("cloudinv-not-demo-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "keep.txt"), "mine");
            var stderr = new StringWriter();
            var code = await CliApp.InvokeAsync(["demo", "--dir", dir], new StringWriter(), stderr);
            Assert.Equal(2, code);
            Assert.Contains("is not a demo store", stderr.ToString(), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, "keep.txt")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"i-[0-9a-f]{17}")]
    private static partial Regex InstanceId();
}
