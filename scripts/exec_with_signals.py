"""Exec a command with SIGINT/SIGTERM restored to their defaults.

`dagster dev` started from a shell in the background inherits an ignored SIGINT and then
ignores Ctrl-C and `kill -TERM`; restoring the handlers first makes it stoppable by PID.
"""

import os
import signal
import sys

for sig in (signal.SIGINT, signal.SIGTERM):
    signal.signal(sig, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])  # nosec B606 # the Makefile's own command (dagster dev), no shell
