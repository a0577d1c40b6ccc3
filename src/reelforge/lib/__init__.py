"""Pure domain logic for reelforge: plain values in and out, no Dagster imports."""
