// Placeholder entry point; replaced by the emulator program.
Console.WriteLine("gcs emulator");
