using Dandelion.Fuzz;
using SharpFuzz;

// Under afl-fuzz (scripts/fuzz.sh): one process runs every case AFL gives it. With
// "replay <files or directories>": each file once, in this process (the seed corpus, a crash).
if (args is ["replay", .. var paths])
{
    var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).Order().ToList();
    foreach (var file in files)
        FrameTarget.Run(File.ReadAllBytes(file));
    Console.WriteLine($"replayed {files.Count} cases, none crashed");
    return;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    FrameTarget.Run(copy.GetBuffer().AsSpan(0, (int)copy.Length));
});
