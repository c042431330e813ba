"""The lab: tools that measure the product (the simulator, the replay of real logs, the
benchmarks). The product never imports it; it imports the product."""
