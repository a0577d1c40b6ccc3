"""Drawing internals behind ``reelforge.lib.artist``: palettes, prompt reading, motifs, fonts."""
