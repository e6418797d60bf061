// The browser tests watch live playback in real time: one at a time, so each has the machine
// (test.sh also runs this project alone).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
