namespace Kuryr.PoolCtl.Tests;

// Replaced by the real tests of issue 7; keeps the project buildable meanwhile.
internal static class Placeholder;
