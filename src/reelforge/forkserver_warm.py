"""Imported last by the multiprocess executor's forkserver: builds the definitions there once.

Every step process is forked from the forkserver and reconstructs the job, which calls
`defs()`; with the definitions already built in the forkserver (same environment), that call
returns them instead of loading the defs folder and binding the resources again.
"""

import contextlib

from reelforge.definitions import warm

# A failure here would take the forkserver down with it; left alone, each step builds the
# definitions itself and reports the error where an operator sees it, in the step's log.
with contextlib.suppress(Exception):
    warm()
