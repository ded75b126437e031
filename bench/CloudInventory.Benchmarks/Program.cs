using BenchmarkDotNet.Running;
using CloudInventory.Benchmarks;

// --check: run every benchmark body once and verify its result, without BenchmarkDotNet (cheap smoke run).
if (args is ["--check"]) return ProtocolReaderCheck.Run(Console.Out);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
