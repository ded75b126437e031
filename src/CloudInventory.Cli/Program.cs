using CloudInventory;
using CloudInventory.Cli;

// Before other threads allocate: the C allocator then keeps less freed native memory (see InventoryCollector).
StartupTrace.Mark("runtime start");
CloudInventory.Collection.InventoryCollector.ReduceMemoryRetention();
return await CliApp.RunAsync(args).ConfigureAwait(false);
