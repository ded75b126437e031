using BenchmarkDotNet.Running;
using CloudInventory.Benchmarks;

// --check: run every benchmark body once and verify its result, without BenchmarkDotNet (cheap smoke run).
if (args is ["--check"]) return ProtocolReaderCheck.Run(Console.Out);

if (args.Length > 0 && args[0] == CloudInventory.Benchmarks.Dashboard.DashboardBenchmark.Command) return await CloudInventory.Benchmarks.Dashboard.DashboardBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "history") return CloudInventory.Benchmarks.HistoryBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == CloudInventory.Benchmarks.AzureCollectBenchmark.Command) return await CloudInventory.Benchmarks.AzureCollectBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == CloudInventory.Benchmarks.AzureCollectBenchmark.SimulateCommand) return await CloudInventory.Benchmarks.AzureCollectBenchmark.SimulateAsync(args[1..]);
if (args.Length > 0 && args[0] == "collect-scale") return await CloudInventory.Benchmarks.CollectScaleBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "collect-memory") return await CloudInventory.Benchmarks.CollectMemoryBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == CloudInventory.Benchmarks.CollectMemoryBenchmark.SimulateCommand) return await CloudInventory.Benchmarks.CollectMemoryBenchmark.SimulateAsync(args[1..]);
if (args.Length > 0 && args[0] == CloudInventory.Benchmarks.CollectMemoryBenchmark.CollectCommand) return await CloudInventory.Benchmarks.CollectMemoryBenchmark.CollectAsync(args[1..]);
if (args.Length > 0 && args[0] == CloudInventory.Benchmarks.Storage.SinkMemoryBenchmark.Command) return CloudInventory.Benchmarks.Storage.SinkMemoryBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == CloudInventory.Benchmarks.Storage.ConcatMemoryBenchmark.Command) return CloudInventory.Benchmarks.Storage.ConcatMemoryBenchmark.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
