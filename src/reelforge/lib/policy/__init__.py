"""The learning policy: arm space, plan cost, model, Thompson-sampling planner, simulator.

Pure (no Dagster). Import the submodules directly; this package imports nothing so that
reelforge.config can use lib.policy.space without an import cycle.
"""
