"""Offline video rendering from render manifests (contract render_manifest v1) with FFmpeg."""

from reelforge.lib.render.engine import RenderResult, render, render_file
from reelforge.lib.render.manifest import (
    Manifest,
    ManifestError,
    Music,
    Output,
    SceneSpec,
    Transition,
    dump_manifest,
    load_manifest,
    parse_manifest,
)
from reelforge.lib.render.preview import preview_manifest
from reelforge.lib.render.probe import VideoInfo, probe, video_info
from reelforge.lib.render.process import RenderError

__all__ = [
    "Manifest",
    "ManifestError",
    "Music",
    "Output",
    "RenderError",
    "RenderResult",
    "SceneSpec",
    "Transition",
    "VideoInfo",
    "dump_manifest",
    "load_manifest",
    "parse_manifest",
    "preview_manifest",
    "probe",
    "render",
    "render_file",
    "video_info",
]
